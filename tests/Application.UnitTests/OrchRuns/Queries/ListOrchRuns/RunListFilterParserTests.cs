using OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.ListOrchRuns;

public class RunListFilterParserTests
{
    [TestCase(OrchRunStatus.Queued, "QUEUED")]
    [TestCase(OrchRunStatus.Running, "RUNNING")]
    [TestCase(OrchRunStatus.RequestCancel, "REQUEST_CANCEL")]
    [TestCase(OrchRunStatus.Completed, "COMPLETED")]
    [TestCase(OrchRunStatus.Failed, "FAILED")]
    [TestCase(OrchRunStatus.Cancelled, "CANCELLED")]
    public void WireName_ForEachStatus_IsTheSeedsSpelling(OrchRunStatus status, string expected)
    {
        Assert.That(RunListFilterParser.WireName(status), Is.EqualTo(expected));
    }

    [Test]
    public void WireNames_WhenRead_ListEveryStatus()
    {
        Assert.That(
            RunListFilterParser.WireNames,
            Is.EquivalentTo(new[] { "QUEUED", "RUNNING", "REQUEST_CANCEL", "COMPLETED", "FAILED", "CANCELLED" }));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void TryParseStatuses_WhenAbsent_MeansEveryStatus(string? text)
    {
        var ok = RunListFilterParser.TryParseStatuses(text, out var statuses);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok, Is.True);
            Assert.That(statuses, Is.Empty);
        }
    }

    [TestCase("COMPLETED", new[] { OrchRunStatus.Completed })]
    [TestCase("request_cancel", new[] { OrchRunStatus.RequestCancel })]
    [TestCase("Queued,running", new[] { OrchRunStatus.Queued, OrchRunStatus.Running })]
    [TestCase(" FAILED , cancelled ", new[] { OrchRunStatus.Failed, OrchRunStatus.Cancelled })]
    [TestCase("QUEUED,queued", new[] { OrchRunStatus.Queued })]
    public void TryParseStatuses_WhenKnownNames_ReturnsThoseStatuses(string text, OrchRunStatus[] expected)
    {
        var ok = RunListFilterParser.TryParseStatuses(text, out var statuses);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok, Is.True);
            Assert.That(statuses, Is.EquivalentTo(expected));
        }
    }

    [TestCase("DONE")]
    [TestCase("QUEUED,DONE")]
    [TestCase("QUEUED,")]
    [TestCase("1")]
    [TestCase("RequestCancel")]
    public void TryParseStatuses_WhenAnyNameIsUnknown_Fails(string text)
    {
        Assert.That(RunListFilterParser.TryParseStatuses(text, out _), Is.False);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" ")]
    public void TryParseStartAndEnd_WhenAbsent_SucceedWithNoBound(string? text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RunListFilterParser.TryParseStart(text, out var start), Is.True);
            Assert.That(start, Is.Null);
            Assert.That(RunListFilterParser.TryParseEnd(text, out var end), Is.True);
            Assert.That(end, Is.Null);
        }
    }

    [Test]
    public void TryParseStart_WhenDateOnly_IsMidnightUtc()
    {
        RunListFilterParser.TryParseStart("2023-01-31", out var start);

        Assert.That(start, Is.EqualTo(new DateTimeOffset(2023, 1, 31, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void TryParseEnd_WhenDateOnly_IncludesTheWholeDay()
    {
        RunListFilterParser.TryParseEnd("2023-01-31", out var end);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(end, Is.EqualTo(new DateTimeOffset(2023, 2, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1)));
            Assert.That(end, Is.GreaterThanOrEqualTo(new DateTimeOffset(2023, 1, 31, 23, 59, 59, 999, TimeSpan.Zero)));
            Assert.That(end, Is.LessThan(new DateTimeOffset(2023, 2, 1, 0, 0, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public void TryParseStartAndEnd_WhenEpochMilliseconds_AreThatExactInstant()
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(1675164393072);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RunListFilterParser.TryParseStart("1675164393072", out var start), Is.True);
            Assert.That(start, Is.EqualTo(instant));
            Assert.That(RunListFilterParser.TryParseEnd(" 1675164393072 ", out var end), Is.True);
            Assert.That(end, Is.EqualTo(instant));
        }
    }

    [Test]
    public void TryParseStart_WhenZeroMilliseconds_IsTheUnixEpoch()
    {
        RunListFilterParser.TryParseStart("0", out var start);

        Assert.That(start, Is.EqualTo(DateTimeOffset.UnixEpoch));
    }

    [TestCase("2023-01-31T10:00:00+02:00", 8, 0, 0)]
    [TestCase("2023-01-31T10:00:00-05:30", 15, 30, 0)]
    [TestCase("2023-01-31T10:00:00Z", 10, 0, 0)]
    [TestCase("2023-01-31T10:00:00.250Z", 10, 0, 250)]
    [TestCase("2023-01-31T10:00:00", 10, 0, 0)]
    public void TryParseEnd_WhenIsoDateTime_IsThatInstantInUtc(string text, int hour, int minute, int millisecond)
    {
        var ok = RunListFilterParser.TryParseEnd(text, out var end);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok, Is.True);
            Assert.That(end, Is.EqualTo(new DateTimeOffset(2023, 1, 31, hour, minute, 0, millisecond, TimeSpan.Zero)));
            Assert.That(end?.Offset, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [TestCase("yesterday")]
    [TestCase("2023-13-01")]
    [TestCase("2023-02-30")]
    [TestCase("31/01/2023")]
    [TestCase("2023-01-31T25:00:00Z")]
    [TestCase("1234567890123456")]
    [TestCase("-1")]
    [TestCase("1.5")]
    public void TryParseStartAndEnd_WhenUnreadable_Fail(string text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RunListFilterParser.TryParseStart(text, out _), Is.False);
            Assert.That(RunListFilterParser.TryParseEnd(text, out _), Is.False);
        }
    }
}
