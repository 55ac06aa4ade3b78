using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.UnitTests.Common;

public class StepExecutionPolicyTests
{
    private const string Field = "Steps[2]";

    [Test]
    public void Create_WhenNothingIsGiven_HasNoTimeoutNoRetriesAndTheDefaultDelay()
    {
        var policy = StepExecutionPolicy.Create(null, null, null, Field);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.TimeoutSeconds, Is.Null);
            Assert.That(policy.Retries, Is.Zero);
            Assert.That(policy.RetryDelayMs, Is.EqualTo(StepExecutionPolicy.DefaultRetryDelayMs));
            Assert.That(policy, Is.EqualTo(StepExecutionPolicy.Default));
        }
    }

    [Test]
    public void Create_WhenEverythingIsGiven_KeepsTheValues()
    {
        var policy = StepExecutionPolicy.Create(30, 3, 250, Field);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.TimeoutSeconds, Is.EqualTo(30));
            Assert.That(policy.Retries, Is.EqualTo(3));
            Assert.That(policy.RetryDelayMs, Is.EqualTo(250));
        }
    }

    [TestCase(1)]
    [TestCase(StepExecutionPolicy.MaxTimeoutSeconds)]
    public void Create_WhenTimeoutIsAtALimitOfItsRange_IsAccepted(int seconds)
    {
        Assert.That(StepExecutionPolicy.Create(seconds, null, null, Field).TimeoutSeconds, Is.EqualTo(seconds));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(StepExecutionPolicy.MaxTimeoutSeconds + 1)]
    public void Create_WhenTimeoutIsOutOfRange_ThrowsForTheStepsTimeoutField(int seconds)
    {
        var ex = Assert.Throws<DomainValidationException>(() => StepExecutionPolicy.Create(seconds, null, null, Field));

        Assert.That(ex?.Field, Is.EqualTo("Steps[2].TimeoutSeconds"));
        Assert.That(ex?.Message, Does.Contain("1 to 86400"));
    }

    [TestCase(0)]
    [TestCase(StepExecutionPolicy.MaxRetries)]
    public void Create_WhenRetriesIsAtALimitOfItsRange_IsAccepted(int retries)
    {
        Assert.That(StepExecutionPolicy.Create(null, retries, null, Field).Retries, Is.EqualTo(retries));
    }

    [TestCase(-1)]
    [TestCase(StepExecutionPolicy.MaxRetries + 1)]
    public void Create_WhenRetriesIsOutOfRange_ThrowsForTheStepsRetriesField(int retries)
    {
        var ex = Assert.Throws<DomainValidationException>(() => StepExecutionPolicy.Create(null, retries, null, Field));

        Assert.That(ex?.Field, Is.EqualTo("Steps[2].Retries"));
    }

    [TestCase(0)]
    [TestCase(StepExecutionPolicy.MaxRetryDelayMs)]
    public void Create_WhenRetryDelayIsAtALimitOfItsRange_IsAccepted(int delayMs)
    {
        Assert.That(StepExecutionPolicy.Create(null, 1, delayMs, Field).RetryDelayMs, Is.EqualTo(delayMs));
    }

    [TestCase(-1)]
    [TestCase(StepExecutionPolicy.MaxRetryDelayMs + 1)]
    public void Create_WhenRetryDelayIsOutOfRange_ThrowsForTheStepsRetryDelayField(int delayMs)
    {
        var ex = Assert.Throws<DomainValidationException>(() => StepExecutionPolicy.Create(null, 1, delayMs, Field));

        Assert.That(ex?.Field, Is.EqualTo("Steps[2].RetryDelayMs"));
    }

    [TestCase(1, 100)]
    [TestCase(2, 200)]
    [TestCase(3, 400)]
    [TestCase(4, 800)]
    [TestCase(10, 51_200)]
    public void DelayBeforeRetry_DoublesTheDelayForEachEarlierRetry(int retry, int expectedMs)
    {
        var policy = StepExecutionPolicy.Create(null, 10, 100, Field);

        Assert.That(policy.DelayBeforeRetry(retry), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void DelayBeforeRetry_WhenRetryIsBelowOne_IsTheBaseDelay(int retry)
    {
        var policy = StepExecutionPolicy.Create(null, 1, 100, Field);

        Assert.That(policy.DelayBeforeRetry(retry), Is.EqualTo(TimeSpan.FromMilliseconds(100)));
    }

    [TestCase(2)]
    [TestCase(10)]
    [TestCase(2000)]
    public void DelayBeforeRetry_NeverExceedsTheMaximumDelay(int retry)
    {
        var policy = StepExecutionPolicy.Create(null, 10, 3_000_000, Field);

        Assert.That(policy.DelayBeforeRetry(retry), Is.EqualTo(TimeSpan.FromMilliseconds(StepExecutionPolicy.MaxRetryDelayMs)));
    }

    [Test]
    public void DelayBeforeRetry_WhenTheDelayIsZero_IsAlwaysZero()
    {
        var policy = StepExecutionPolicy.Create(null, 3, 0, Field);

        Assert.That(Enumerable.Range(1, 3).Select(policy.DelayBeforeRetry), Is.All.EqualTo(TimeSpan.Zero));
    }
}
