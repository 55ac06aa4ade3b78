using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Domain.UnitTests.OrchRuns;

public class QueuedRunLimitTests
{
    [Test]
    public void Default_WhenNotConfigured_IsTwentyQueuedRunsPerNamespace()
    {
        Assert.That(QueuedRunLimit.Default, Is.EqualTo(20));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Ctor_WhenLimitIsBelowOne_ThrowsArgumentOutOfRange(int limit)
    {
        Assert.That(() => new QueuedRunLimit(limit), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Ctor_WhenLimitIsOne_KeepsIt()
    {
        Assert.That(new QueuedRunLimit(1).MaxQueuedPerNamespace, Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(19)]
    public void EnsureRoomFor_WhenBelowTheLimit_DoesNotThrow(int queued)
    {
        var limit = new QueuedRunLimit(20);

        Assert.That(() => limit.EnsureRoomFor(TestData.Namespace, queued), Throws.Nothing);
    }

    [TestCase(20)]
    [TestCase(21)]
    public void EnsureRoomFor_WhenAtOrAboveTheLimit_ThrowsQueuedRunLimitExceeded(int queued)
    {
        var limit = new QueuedRunLimit(20);

        var ex = Assert.Throws<QueuedRunLimitExceededException>(() => limit.EnsureRoomFor(TestData.Namespace, queued));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex, Is.InstanceOf<DomainException>());
            Assert.That(ex?.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(ex?.Limit, Is.EqualTo(20));
            Assert.That(ex?.Message, Does.Contain(TestData.Namespace));
        }
    }
}
