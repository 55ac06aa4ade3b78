using Microsoft.Extensions.Time.Testing;
using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRunLogs;
using OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.GetOrchRunLogs;

/// <summary>
/// Following a log on the fake clock: how long a follower waits between reads, what wakes it,
/// when it must stop, and how many may follow at once. Nothing here waits in real time.
/// </summary>
public sealed class GetOrchRunLogsFollowTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private FakeTimeProvider _clock = null!;
    private RecordingTimeProvider _timers = null!;
    private RunLogSignal _signal = null!;
    private Mock<IOrchRunRepository> _runs = null!;
    private Mock<IRunLogReader> _logs = null!;
    private OrchRun _run = null!;
    private int _reads;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero));
        _timers = new RecordingTimeProvider(_clock);
        _signal = new RunLogSignal();
        _run = TestData.NewRun();
        _reads = 0;
        _runs = new Mock<IOrchRunRepository>();
        _runs.Setup(r => r.FindAsync(_run.Id, TestData.Namespace, It.IsAny<CancellationToken>())).ReturnsAsync(_run);
        _logs = new Mock<IRunLogReader>();
        _logs.Setup(l => l.ReadAsync(_run.Id, It.IsAny<long>(), It.IsAny<CancellationToken>())).Returns(() =>
        {
            Interlocked.Increment(ref _reads);
            return Lines();
        });
        _logs.Setup(l => l.GetRunStatusAsync(_run.Id, It.IsAny<CancellationToken>())).ReturnsAsync(OrchRunStatus.Running);
    }

    [Test]
    public async Task Follow_WhenNoLinesCome_BacksOffToFiveSecondsInsteadOfPollingAtAFixedRate()
    {
        using var stop = new CancellationTokenSource();
        var log = await Handler().Handle(Follow(), stop.Token);
        var reading = ReadAllAsync(log);

        for (var timer = 1; timer <= 7; timer++)
        {
            await _timers.WaitForTimersAsync(timer, Hang);
            _clock.Advance(_timers.DueTimes[timer - 1]);
        }

        await _timers.WaitForTimersAsync(8, Hang);
        await stop.CancelAsync();
        await Assert.CatchAsync<OperationCanceledException>(async () => await reading);
        Assert.That(_timers.DueTimes.Take(7).Select(d => d.TotalMilliseconds), Is.EqualTo(new double[] { 500, 1000, 2000, 4000, 5000, 5000, 5000 }));
    }

    [Test]
    public async Task Follow_WhenThisProcessWritesLines_WakesTheFollowerWithoutWaitingForItsPoll()
    {
        var end = new RunLogLine(_run.Id, 1, _clock.GetUtcNow(), RunLogLevel.Info, "end", true);
        _logs.Setup(l => l.ReadAsync(_run.Id, It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref _reads) == 1 ? Lines() : Lines(end));
        var log = await Handler().Handle(Follow(), CancellationToken.None);
        var reading = ReadAllAsync(log);
        await _timers.WaitForTimersAsync(1, Hang);
        var before = _clock.GetUtcNow();

        _signal.LinesWritten(_run.Id);
        var lines = await reading.WaitAsync(Hang);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Is.EqualTo(new[] { end }));
            Assert.That(_clock.GetUtcNow(), Is.EqualTo(before), "no fake time passed: the writer woke the follower");
            Assert.That(_signal.WaitingRuns, Is.Zero, "no waiter is left behind");
        }
    }

    [Test]
    public async Task Follow_WhenTheTokenExpires_EndsTheStreamThen()
    {
        var until = _clock.GetUtcNow().AddSeconds(3);
        var log = await Handler().Handle(Follow(until), CancellationToken.None);
        var reading = ReadAllAsync(log);

        for (var timer = 1; !reading.IsCompleted && timer <= 10; timer++)
        {
            await Task.WhenAny(reading, _timers.WaitForTimersAsync(timer, Hang));
            if (!reading.IsCompleted)
            {
                _clock.Advance(_timers.DueTimes[timer - 1]);
            }
        }

        var lines = await reading.WaitAsync(Hang);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Is.Empty);
            Assert.That(_clock.GetUtcNow(), Is.EqualTo(until), "the last wait is cut to the token's expiry, and nothing waits past it");
        }
    }

    [Test]
    public async Task Follow_WhenTheUserHasTheMostOpenFollows_RefusesOneMoreUntilOneEnds()
    {
        var gate = new LogFollowGate(new LogFollowLimits(maxFollowsPerUser: 2, maxFollows: 3));
        var alice = Handler(gate, "alice");
        var bob = Handler(gate, "bob");

        var first = await alice.Handle(Follow(), CancellationToken.None);
        using var second = await alice.Handle(Follow(), CancellationToken.None);
        var third = await Assert.ThrowsAsync<FollowLimitExceededException>(async () => await alice.Handle(Follow(), CancellationToken.None));
        using var bobs = await bob.Handle(Follow(), CancellationToken.None);
        var overall = await Assert.ThrowsAsync<FollowLimitExceededException>(async () => await bob.Handle(Follow(), CancellationToken.None));
        first.Dispose();
        using var again = await alice.Handle(Follow(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(third!.Message, Does.Contain("Logs:MaxFollowsPerUser"));
            Assert.That(overall!.Message, Does.Contain("Logs:MaxFollows "));
            Assert.That(gate.OpenFollows, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Read_WhenNotFollowing_TakesNoPlaceAmongTheFollows()
    {
        var gate = new LogFollowGate(new LogFollowLimits(1, 1));

        using var log = await Handler(gate, "alice").Handle(new GetOrchRunLogsQuery(TestData.Namespace, _run.Id), CancellationToken.None);

        Assert.That(gate.OpenFollows, Is.Zero);
    }

    private GetOrchRunLogsQuery Follow(DateTimeOffset? until = null) =>
        new(TestData.Namespace, _run.Id, Follow: true, FollowUntil: until);

    private GetOrchRunLogsQueryHandler Handler(LogFollowGate? gate = null, string user = "alice")
    {
        var currentUser = new Mock<ICurrentUser>();
        currentUser.SetupGet(u => u.UserId).Returns(user);
        return new GetOrchRunLogsQueryHandler(_runs.Object, _logs.Object, _timers, _signal, gate ?? new LogFollowGate(LogFollowLimits.Default), currentUser.Object);
    }

    private static async IAsyncEnumerable<RunLogLine> Lines(params RunLogLine[] lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }

    private static async Task<List<RunLogLine>> ReadAllAsync(RunLog log)
    {
        var read = new List<RunLogLine>();
        await foreach (var line in log.Lines)
        {
            read.Add(line);
        }

        return read;
    }
}
