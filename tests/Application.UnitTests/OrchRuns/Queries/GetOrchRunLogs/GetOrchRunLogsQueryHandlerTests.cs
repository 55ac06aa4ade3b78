using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.GetOrchRunLogs;

public class GetOrchRunLogsQueryHandlerTests
{
    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<IRunLogReader> _logs = null!;
    private GetOrchRunLogsQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _runs = new Mock<IOrchRunRepository>();
        _logs = new Mock<IRunLogReader>();
        var user = new Mock<ICurrentUser>();
        user.SetupGet(u => u.UserId).Returns("alice");
        _handler = new GetOrchRunLogsQueryHandler(_runs.Object, _logs.Object, TimeProvider.System, new RunLogSignal(), new LogFollowGate(LogFollowLimits.Default), user.Object);
    }

    private static async IAsyncEnumerable<RunLogLine> Lines(params RunLogLine[] lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }

    [Test]
    public async Task Handle_WhenTheRunIsVisible_ReturnsItsLinesFromTheReader()
    {
        var run = TestData.NewRun();
        var first = new RunLogLine(run.Id, 1, TestData.Now, RunLogLevel.Info, "Orch run execution has begun", false);
        var last = new RunLogLine(run.Id, 2, TestData.Now, RunLogLevel.Info, "Orch run has ended. Closing up file log stream", true);
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        _logs.Setup(l => l.ReadAsync(run.Id, 0, It.IsAny<CancellationToken>())).Returns(Lines(first, last));

        var log = await _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, run.Id), CancellationToken.None);

        var read = new List<RunLogLine>();
        await foreach (var line in log.Lines)
        {
            read.Add(line);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(log.RunId, Is.EqualTo(run.Id));
            Assert.That(read, Is.EqualTo(new[] { first, last }));
        }
    }

    [Test]
    public async Task Handle_WhenTheRunHasNoLinesYet_ReturnsAnEmptyLog()
    {
        var run = TestData.NewRun();
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        _logs.Setup(l => l.ReadAsync(run.Id, 0, It.IsAny<CancellationToken>())).Returns(Lines());

        var log = await _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, run.Id), CancellationToken.None);

        var count = 0;
        await foreach (var unused in log.Lines)
        {
            count++;
        }

        Assert.That(count, Is.Zero);
    }

    [Test]
    public async Task Handle_WhenTheRunIsNotVisible_ThrowsNotFoundWithoutReadingTheLog()
    {
        var id = Guid.NewGuid();
        _runs.Setup(r => r.FindAsync(id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync((OrchRun?)null);

        await Assert.ThrowsAsync<NotFoundException>(
            () => _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, id), CancellationToken.None).AsTask());

        _logs.Verify(l => l.ReadAsync(It.IsAny<Guid>(), It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_WhenTailIsGiven_ReturnsOnlyTheLastLines()
    {
        var run = TestData.NewRun();
        var lines = Enumerable.Range(1, 3).Select(i => Line(run.Id, i, isEnd: i == 3)).ToArray();
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        _logs.Setup(l => l.ReadTailAsync(run.Id, 2, It.IsAny<CancellationToken>())).ReturnsAsync([lines[1], lines[2]]);

        var log = await _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, run.Id, Tail: 2), CancellationToken.None);

        Assert.That(await ReadAll(log), Is.EqualTo(new[] { lines[1], lines[2] }));
    }

    [Test]
    public async Task Handle_WhenFromLineIsGiven_ReadsOnlyTheLinesAfterIt()
    {
        var run = TestData.NewRun();
        var sixth = Line(run.Id, 6, isEnd: false);
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        _logs.Setup(l => l.ReadAsync(run.Id, 5, It.IsAny<CancellationToken>())).Returns(Lines(sixth));

        var log = await _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, run.Id, FromLine: 5), CancellationToken.None);

        Assert.That(await ReadAll(log), Is.EqualTo(new[] { sixth }));
    }

    [Test]
    public async Task Handle_WhenFollowing_ReadsAgainUntilTheEndLine()
    {
        var run = TestData.NewRun();
        var first = Line(run.Id, 1, isEnd: false);
        var end = Line(run.Id, 2, isEnd: true);
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        _logs.Setup(l => l.ReadAsync(run.Id, 0, It.IsAny<CancellationToken>())).Returns(() => Lines(first));
        _logs.Setup(l => l.ReadAsync(run.Id, 1, It.IsAny<CancellationToken>())).Returns(() => Lines(end));
        _logs.Setup(l => l.GetRunStatusAsync(run.Id, It.IsAny<CancellationToken>())).ReturnsAsync(OrchRunStatus.Running);

        var log = await _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, run.Id, Follow: true), CancellationToken.None);

        Assert.That(await ReadAll(log), Is.EqualTo(new[] { first, end }));
    }

    [Test]
    public async Task Handle_WhenFollowingARunThatIsDeleted_Stops()
    {
        var run = TestData.NewRun();
        var first = Line(run.Id, 1, isEnd: false);
        _runs.Setup(r => r.FindAsync(run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        _logs.Setup(l => l.ReadAsync(run.Id, 0, It.IsAny<CancellationToken>())).Returns(() => Lines(first));
        _logs.Setup(l => l.GetRunStatusAsync(run.Id, It.IsAny<CancellationToken>())).ReturnsAsync((OrchRunStatus?)null);

        var log = await _handler.Handle(new GetOrchRunLogsQuery(TestData.Namespace, run.Id, Follow: true), CancellationToken.None);

        Assert.That(await ReadAll(log), Is.EqualTo(new[] { first }));
    }

    private static RunLogLine Line(Guid runId, long sequence, bool isEnd) =>
        new(runId, sequence, TestData.Now, RunLogLevel.Info, $"line {sequence}", isEnd);

    private static async Task<List<RunLogLine>> ReadAll(RunLog log)
    {
        var read = new List<RunLogLine>();
        await foreach (var line in log.Lines)
        {
            read.Add(line);
        }

        return read;
    }
}
