using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Schedules.Commands.CreateSchedule;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.Schedules;
using static OrchRunService.Application.UnitTests.Schedules.ScheduleTestData;

namespace OrchRunService.Application.UnitTests.Schedules;

public class CreateScheduleCommandHandlerTests
{
    private Mock<IScheduleRepository> _schedules = null!;
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<INamespaceTransaction> _transaction = null!;
    private Mock<ICurrentUser> _currentUser = null!;
    private FakeTimeProvider _clock = null!;
    private Orchestrator _orchestrator = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrator = TestData.NewOrchestrator();
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_orchestrator);
        _transaction = new Mock<INamespaceTransaction>();
        _runs = new Mock<IOrchRunRepository>();
        _runs.Setup(r => r.BeginNamespaceTransactionAsync(TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_transaction.Object);
        _schedules = new Mock<IScheduleRepository>();
        _currentUser = new Mock<ICurrentUser>();
        _currentUser.Setup(u => u.UserId).Returns(TestData.UserId);
        _clock = TestData.NewClock();
    }

    private CreateScheduleCommandHandler Handler(int maxPerNamespace = 100) =>
        new(_schedules.Object, _orchestrators.Object, _runs.Object, new FakeConnectorCatalog(), _currentUser.Object, Settings(maxPerNamespace), _clock);

    [Test]
    public async Task Handle_WhenValid_AddsTheScheduleInsideTheNamespaceTransactionAndCommits()
    {
        Schedule? added = null;
        _schedules.Setup(s => s.Add(It.IsAny<Schedule>())).Callback<Schedule>(s => added = s);

        var dto = await Handler().Handle(new CreateScheduleCommand(TestData.Namespace, Input(_orchestrator.Id)), CancellationToken.None);

        _transaction.Verify(t => t.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(added, Is.Not.Null);
            Assert.That(dto.Id, Is.EqualTo(added!.Id));
            Assert.That(dto.CreatedBy, Is.EqualTo(TestData.UserId));
            Assert.That(dto.NextFireAt, Has.Count.EqualTo(5));
            Assert.That(added.NextFireAt, Is.GreaterThan(_clock.GetUtcNow()));
        }
    }

    [Test]
    public async Task Handle_WhenTheNamespaceHasItsMaximum_ThrowsAndAddsNothing()
    {
        _schedules.Setup(s => s.CountAsync(TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(3);

        await Assert.ThatAsync(
            async () => await Handler(maxPerNamespace: 3).Handle(new CreateScheduleCommand(TestData.Namespace, Input(_orchestrator.Id)), CancellationToken.None),
            Throws.InstanceOf<ScheduleLimitExceededException>());

        _schedules.Verify(s => s.Add(It.IsAny<Schedule>()), Times.Never);
        _transaction.Verify(t => t.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheOrchestratorIsNotInTheNamespace_ThrowsForOrchestratorId()
    {
        var failure = await Assert.ThrowsAsync<RequestValidationException>(async () =>
            await Handler().Handle(new CreateScheduleCommand(TestData.Namespace, Input(Guid.NewGuid())), CancellationToken.None));

        Assert.That(failure!.Errors.Keys, Is.EqualTo(new[] { "orchestratorId" }));
    }

    [Test]
    public async Task Handle_WhenAParameterNamesNoStepOfTheOrchestrator_ThrowsBeforeOpeningTheTransaction()
    {
        var input = Input(_orchestrator.Id) with { ActualParams = [new(Guid.NewGuid().ToString(), null)] };

        var failure = await Assert.ThrowsAsync<DomainValidationException>(async () =>
            await Handler().Handle(new CreateScheduleCommand(TestData.Namespace, input), CancellationToken.None));

        Assert.That(failure!.Field, Is.EqualTo("ActualParams[0].StepId"));
        _runs.Verify(r => r.BeginNamespaceTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTheCronFiresTooOften_ThrowsForCron()
    {
        var failure = await Assert.ThrowsAsync<DomainValidationException>(async () =>
            await Handler().Handle(new CreateScheduleCommand(TestData.Namespace, Input(_orchestrator.Id, "*/5 * * * * *")), CancellationToken.None));

        Assert.That(failure!.Field, Is.EqualTo("Cron"));
    }
}
