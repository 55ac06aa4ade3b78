using OrchRunService.Application.Schedules;
using OrchRunService.Application.Schedules.Commands.CreateSchedule;
using OrchRunService.Application.Schedules.Commands.UpdateSchedule;
using OrchRunService.Application.Schedules.Queries.GetScheduleHistory;

namespace OrchRunService.Application.UnitTests.Schedules;

public class ScheduleCommandValidatorTests
{
    private static readonly Guid OrchestratorId = Guid.NewGuid();

    private readonly CreateScheduleCommandValidator _create = new();

    private static ScheduleDefinitionInput Valid() => ScheduleTestData.Input(OrchestratorId);

    private IReadOnlyDictionary<string, string[]> ErrorsOf(ScheduleDefinitionInput input) =>
        TestData.ErrorsOf(_create, new CreateScheduleCommand(TestData.Namespace, input));

    [Test]
    public void Validate_WhenValidWithEveryOptionalField_HasNoErrors()
    {
        var input = Valid() with { TimeZone = "Europe/Berlin", Enabled = false, Overlap = "cancel-previous", Catchup = "all", StartAt = "1893456000000", EndAt = "1893459600000" };

        Assert.That(ErrorsOf(input), Is.Empty);
    }

    [TestCase("sometimes")]
    [TestCase("Skip")]
    [TestCase("")]
    public void Validate_WhenOverlapIsUnknown_ReportsOverlap(string overlap)
    {
        Assert.That(ErrorsOf(Valid() with { Overlap = overlap }).Keys, Is.EquivalentTo(new[] { "_overlap" }));
    }

    [TestCase("ALL")]
    [TestCase("some")]
    public void Validate_WhenCatchupIsUnknown_ReportsCatchup(string catchup)
    {
        Assert.That(ErrorsOf(Valid() with { Catchup = catchup }).Keys, Is.EquivalentTo(new[] { "_catchup" }));
    }

    [TestCase("yesterday")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("99999999999999999999")]
    public void Validate_WhenStartOrEndIsNoEpochMilliseconds_ReportsTheField(string text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ErrorsOf(Valid() with { StartAt = text }).Keys, Is.EquivalentTo(new[] { "_startat" }));
            Assert.That(ErrorsOf(Valid() with { EndAt = text }).Keys, Is.EquivalentTo(new[] { "_endat" }));
        }
    }

    [Test]
    public void Validate_WhenRequiredFieldsAreMissing_ReportsEach()
    {
        var input = new ScheduleDefinitionInput(null, " ", null, null, null, null, null, null, null);

        Assert.That(ErrorsOf(input).Keys, Is.EquivalentTo(new[] { "orchestratorId", "_cron", "_actualparams" }));
    }

    [Test]
    public void Validate_WhenAParamsEntryHasNoStepId_ReportsIt()
    {
        var input = Valid() with { ActualParams = [new ScheduleParamInput(null, TestData.Json("{}"))] };

        Assert.That(ErrorsOf(input).Keys.Single(), Does.StartWith("_actualparams"));
    }

    [Test]
    public void Validate_WhenTheUpdateBodyIdDiffersFromThePath_ReportsBodyId()
    {
        var errors = TestData.ErrorsOf(new UpdateScheduleCommandValidator(), new UpdateScheduleCommand(TestData.Namespace, Guid.NewGuid(), Guid.NewGuid().ToString(), Valid()));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "body.id" }));
    }

    [Test]
    public void Validate_WhenHistoryPagingIsOutOfRange_ReportsPaging()
    {
        var errors = TestData.ErrorsOf(new GetScheduleHistoryQueryValidator(), new GetScheduleHistoryQuery(TestData.Namespace, Guid.NewGuid(), 0, -1));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "_pageSize", "_offset" }));
    }
}
