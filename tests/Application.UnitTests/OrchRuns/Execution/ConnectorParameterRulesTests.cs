using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

/// <summary>The save-time check of step parameters that orchestrator saves and run creates share.</summary>
public class ConnectorParameterRulesTests
{
    private static readonly ScriptedConnector Connector = ScriptedConnector.Logging("any");
    private static readonly FakeConnectorCatalog Catalog = new(Connector);

    [TestCase("""{"headers":{"Authorization":{"$secret":"api-token"}}}""")]
    [TestCase("""{"url":{"$secret":"u"},"body":[{"k":{"$secret":"b.c"}}]}""")]
    public void Problem_WhenEveryReferenceIsWellFormed_IsNull(string parameters)
    {
        Assert.That(ConnectorParameterRules.Problem(Catalog, Connector.ComponentId, parameters), Is.Null);
    }

    [TestCase("""{"headers":{"Authorization":{"$secret":42}}}""")]
    [TestCase("""{"headers":{"Authorization":{"$secret":"has space"}}}""")]
    [TestCase("""{"headers":{"Authorization":{"$secret":"a","x":1}}}""")]
    public void Problem_WhenAReferenceIsMalformed_SaysSoForAKnownConnector(string parameters)
    {
        Assert.That(ConnectorParameterRules.Problem(Catalog, Connector.ComponentId, parameters), Does.Contain("$secret").Or.Contain("secret reference"));
    }

    [Test]
    public void Problem_WhenAReferenceIsMalformedForAnUnknownComponent_StillSaysSo()
    {
        Assert.That(ConnectorParameterRules.Problem(Catalog, Guid.NewGuid(), """{"h":{"$secret":1}}"""), Is.Not.Null);
    }
}
