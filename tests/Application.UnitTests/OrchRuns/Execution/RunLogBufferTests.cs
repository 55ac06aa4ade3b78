using Microsoft.Extensions.Time.Testing;
using OrchRunService.Application.OrchRuns.Execution;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution;

/// <summary>The buffer's flush timer runs on the fake clock: every flush here happens inside Advance.</summary>
public sealed class RunLogBufferTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private FakeTimeProvider _clock = null!;
    private RunLogBuffer _log = null!;
    private List<IReadOnlyList<RunLogLine>> _written = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2023, 9, 8, 7, 50, 31, 330, TimeSpan.Zero));
        _log = new RunLogBuffer(Guid.NewGuid(), lastSequence: 2, _clock);
        _written = [];
    }

    [Test]
    public async Task StartFlushing_WhenTheIntervalPasses_WritesThePendingLinesOnce()
    {
        _log.StartFlushing(Interval, Write, onLost: () => { });
        _log.Info("one");
        _log.Warn("two");

        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        var before = _written.Count;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _clock.Advance(Interval);
        await _log.StopFlushingAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Zero, "nothing is written before the interval");
            Assert.That(_written, Has.Count.EqualTo(1), "an empty buffer is not written again");
            Assert.That(_written[0].Select(l => (l.Sequence, l.Message)), Is.EqualTo(new[] { (3L, "one"), (4L, "two") }));
            Assert.That(_log.HasPending, Is.False);
        }
    }

    [Test]
    public async Task StartFlushing_WhenAWriteFails_PutsTheLinesBackForTheNextFlush()
    {
        var failures = 1;
        _log.StartFlushing(Interval, batch => failures-- > 0 ? throw new TimeoutException("database is locked") : Write(batch), onLost: () => { });
        _log.Info("kept");

        _clock.Advance(Interval);
        var pendingAfterTheFailure = _log.HasPending;
        _log.Info("later");
        _clock.Advance(Interval);
        await _log.StopFlushingAsync();

        Assert.That(pendingAfterTheFailure, Is.True);
        Assert.That(_written.Single().Select(l => l.Message), Is.EqualTo(new[] { "kept", "later" }));
    }

    [Test]
    public async Task StartFlushing_WhenAWriteFindsTheRunLost_CallsOnLost()
    {
        var lost = 0;
        _log.StartFlushing(Interval, _ => throw new RunLostException(Guid.NewGuid()), onLost: () => lost++);
        _log.Info("line");

        _clock.Advance(Interval);
        await _log.StopFlushingAsync();

        Assert.That(lost, Is.EqualTo(1));
    }

    [Test]
    public async Task StopFlushingAsync_StopsTheTimerAndLeavesThePendingLinesForTheNextSave()
    {
        _log.StartFlushing(Interval, Write, onLost: () => { });
        await _log.StopFlushingAsync();
        _log.Info("after");

        _clock.Advance(Interval * 4);

        Assert.That(_written, Is.Empty);
        Assert.That(_log.Take().Select(l => l.Message), Is.EqualTo(new[] { "after" }));
    }

    [Test]
    public async Task FlushAsync_WhenTheRunIsLost_Throws()
    {
        _log.StartFlushing(Interval, _ => throw new RunLostException(Guid.NewGuid()), onLost: () => { });
        _log.Info("line");

        await Assert.ThrowsAsync<RunLostException>(_log.FlushAsync);
        await _log.StopFlushingAsync();
    }

    [Test]
    public async Task FlushAsync_WhenFlushingWasNeverStarted_KeepsTheLinesForTheNextSave()
    {
        _log.Info("waiting");

        await _log.FlushAsync();

        Assert.That(_log.Take().Select(l => l.Message), Is.EqualTo(new[] { "waiting" }));
    }

    private Task Write(IReadOnlyList<RunLogLine> batch)
    {
        _written.Add(batch);
        return Task.CompletedTask;
    }

    [Test]
    public void Info_WhenALineIsLongerThanTheLimit_CutsItWithAVisibleMarker()
    {
        _log.Bound(new RunLogLimits(256, 1000), () => { });

        _log.Info(new string('x', 1000));
        _log.ConnectorLines.Info(new string('y', 257));
        _log.Info(new string('z', 256));

        var messages = _log.Take().Select(l => l.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(messages[0], Has.Length.EqualTo(256).And.EndWith(RunLogLimits.TruncatedMarker).And.StartWith("xxxx"));
            Assert.That(messages[1], Has.Length.EqualTo(256).And.EndWith(RunLogLimits.TruncatedMarker));
            Assert.That(messages[2], Is.EqualTo(new string('z', 256)), "a line at the limit is kept whole");
        }
    }

    [Test]
    public void Info_WhenTheCutFallsInsideASurrogatePair_KeepsNoHalfOfIt()
    {
        var limits = new RunLogLimits(256, 1000);
        var keep = 256 - RunLogLimits.TruncatedMarker.Length;
        var message = new string('a', keep - 1) + "😀" + new string('b', 100);

        var cut = limits.Truncate(message);

        Assert.That(cut, Is.EqualTo(new string('a', keep - 1) + RunLogLimits.TruncatedMarker));
    }

    [Test]
    public void ConnectorLines_WhenTheLogReachesItsLineLimit_WriteOneNoticeThenNothingAndCallBackOnce()
    {
        var calls = 0;
        _log.Bound(new RunLogLimits(256, 100), () => calls++);

        for (var i = 0; i < 500; i++)
        {
            _log.ConnectorLines.Info("chatty");
        }

        _log.Error("the service's own line is kept");
        var lines = _log.Take();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls, Is.EqualTo(1));
            Assert.That(_log.LineLimitReached, Is.True);
            Assert.That(lines, Has.Count.EqualTo(100 - 2 + 1), "lines 3-100 (the buffer began after line 2), then the service's line");
            Assert.That(lines[^2].Sequence, Is.EqualTo(100));
            Assert.That(lines[^2].Message, Does.Contain("Runs:MaxLogLinesPerRun"));
            Assert.That(lines[^1].Message, Is.EqualTo("the service's own line is kept"));
        }
    }
}
