using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Schedules.Commands.DeleteSchedule;
using OrchRunService.Application.Schedules.Commands.UpdateSchedule;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.Schedules;
using static OrchRunService.Application.UnitTests.Schedules.ScheduleTestData;

namespace OrchRunService.Application.UnitTests.Schedules;

public class UpdateAndDeleteScheduleCommandHandlerTests
{
    private Mock<IScheduleRepository> _schedules = null!;
    private Mock<IOrchestratorRepository> _orchestrators = null!;
    private Mock<ICurrentUser> _currentUser = null!;
    private FakeTimeProvider _clock = null!;
    private Orchestrator _orchestrator = null!;
    private Schedule _schedule = null!;

    [SetUp]
    public void SetUp()
    {
        _orchestrator = TestData.NewOrchestrator();
        _orchestrators = new Mock<IOrchestratorRepository>();
        _orchestrators.Setup(o => o.FindAsync(_orchestrator.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_orchestrator);
        _clock = TestData.NewClock();
        _schedule = NewSchedule(_orchestrator.Id, _clock.GetUtcNow());
        _schedules = new Mock<IScheduleRepository>();
        _schedules.Setup(s => s.FindAsync(_schedule.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_schedule);
        _currentUser = new Mock<ICurrentUser>();
        _currentUser.Setup(u => u.UserId).Returns(TestData.UserId);
    }

    private UpdateScheduleCommandHandler UpdateHandler() =>
        new(_schedules.Object, _orchestrators.Object, new FakeConnectorCatalog(), _currentUser.Object, Settings(), _clock);

    [Test]
    public async Task Update_WhenDisabled_PausesSavesAndAnswersNoNextFires()
    {
        _clock.Advance(TimeSpan.FromSeconds(5));

        var dto = await UpdateHandler().Handle(new UpdateScheduleCommand(TestData.Namespace, _schedule.Id, null, Input(_orchestrator.Id, enabled: false)), CancellationToken.None);

        _schedules.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_schedule.Enabled, Is.False);
            Assert.That(_schedule.NextFireAt, Is.Null);
            Assert.That(dto.NextFireAt, Is.Empty);
            Assert.That(dto.UpdatedAt, Is.Not.Null);
        }
    }

    [Test]
    public async Task Update_WhenTheScheduleIsNotInTheNamespace_ThrowsNotFoundWithoutSaving()
    {
        await Assert.ThatAsync(
            async () => await UpdateHandler().Handle(new UpdateScheduleCommand(TestData.Namespace, Guid.NewGuid(), null, Input(_orchestrator.Id)), CancellationToken.None),
            Throws.InstanceOf<NotFoundException>());

        _schedules.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Delete_WhenFound_RemovesAndSaves()
    {
        await new DeleteScheduleCommandHandler(_schedules.Object).Handle(new DeleteScheduleCommand(TestData.Namespace, _schedule.Id), CancellationToken.None);

        _schedules.Verify(s => s.Remove(_schedule), Times.Once);
        _schedules.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Delete_WhenNotFound_ThrowsNotFound()
    {
        await Assert.ThatAsync(
            async () => await new DeleteScheduleCommandHandler(_schedules.Object).Handle(new DeleteScheduleCommand(TestData.Namespace, Guid.NewGuid()), CancellationToken.None),
            Throws.InstanceOf<NotFoundException>());

        _schedules.Verify(s => s.Remove(It.IsAny<Schedule>()), Times.Never);
    }
}
