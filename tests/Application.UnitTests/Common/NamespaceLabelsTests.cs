using OrchRunService.Application.Common.Metrics;

namespace OrchRunService.Application.UnitTests.Common;

public sealed class NamespaceLabelsTests
{
    [Test]
    public void Of_WhenMoreNamespacesThanTheBoundAreSeen_FoldsTheLaterOnesIntoOther()
    {
        var labels = new NamespaceLabels(max: 3);

        var values = Enumerable.Range(1, 1000).Select(i => labels.Of($"ns{i}")).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(values.Distinct(), Is.EquivalentTo(new[] { "ns1", "ns2", "ns3", NamespaceLabels.Other }));
            Assert.That(labels.Of("ns2"), Is.EqualTo("ns2"), "a namespace that got its label keeps it");
            Assert.That(labels.Of("ns4"), Is.EqualTo(NamespaceLabels.Other));
        }
    }

    [Test]
    public void Of_WhenTheBoundIsZero_LabelsEveryNamespaceOther()
    {
        Assert.That(new NamespaceLabels(0).Of("ns1"), Is.EqualTo(NamespaceLabels.Other));
    }
}
