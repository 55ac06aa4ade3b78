using OrchRunService.Application.OrchRuns.Queries.ListOrchRuns;

namespace OrchRunService.Application.UnitTests.OrchRuns.Queries.ListOrchRuns;

public class ListOrchRunsQueryValidatorTests
{
    private readonly ListOrchRunsQueryValidator _validator = new();

    private IReadOnlyDictionary<string, string[]> ErrorsOf(
        int? pageSize = null, int? offset = null, string? status = null, string? startDate = null, string? endDate = null, string @namespace = TestData.Namespace) =>
        TestData.ErrorsOf(_validator, new ListOrchRunsQuery(@namespace, pageSize, offset, status, startDate, endDate));

    [Test]
    public void Validate_WhenNothingIsGiven_HasNoErrors()
    {
        Assert.That(ErrorsOf(), Is.Empty);
    }

    [Test]
    public void Validate_WhenEveryFilterIsValid_HasNoErrors()
    {
        Assert.That(
            ErrorsOf(pageSize: 1000, offset: 0, status: "queued,COMPLETED", startDate: "2023-01-01", endDate: "1675164393072"),
            Is.Empty);
    }

    [Test]
    public void Validate_WhenParametersAreEmpty_TreatsThemAsAbsent()
    {
        Assert.That(ErrorsOf(status: "", startDate: "", endDate: " "), Is.Empty);
    }

    [TestCase("")]
    [TestCase("a/b")]
    public void Validate_WhenNamespaceIsInvalid_ReportsNsfilter(string @namespace)
    {
        Assert.That(ErrorsOf(@namespace: @namespace).Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(1001)]
    public void Validate_WhenPageSizeIsOutOfRange_ReportsPageSize(int pageSize)
    {
        Assert.That(ErrorsOf(pageSize: pageSize).Keys, Is.EquivalentTo(new[] { "_pageSize" }));
    }

    [TestCase(1)]
    [TestCase(1000)]
    public void Validate_WhenPageSizeIsAtABound_HasNoErrors(int pageSize)
    {
        Assert.That(ErrorsOf(pageSize: pageSize), Is.Empty);
    }

    [Test]
    public void Validate_WhenOffsetIsNegative_ReportsOffset()
    {
        Assert.That(ErrorsOf(offset: -1).Keys, Is.EquivalentTo(new[] { "_offset" }));
    }

    [TestCase("DONE")]
    [TestCase("QUEUED,")]
    [TestCase("1")]
    [TestCase("QUEUED;RUNNING")]
    public void Validate_WhenStatusIsUnknown_ReportsStatus(string status)
    {
        var errors = ErrorsOf(status: status);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "_status" }));
        Assert.That(errors["_status"][0], Does.Contain("REQUEST_CANCEL"));
    }

    [TestCase("yesterday")]
    [TestCase("2023-13-01")]
    [TestCase("31/01/2023")]
    [TestCase("1234567890123456")]
    public void Validate_WhenStartDateIsUnreadable_ReportsStartDate(string startDate)
    {
        Assert.That(ErrorsOf(startDate: startDate).Keys, Is.EquivalentTo(new[] { "startDate" }));
    }

    [TestCase("tomorrow")]
    [TestCase("2023-01-32")]
    public void Validate_WhenEndDateIsUnreadable_ReportsEndDate(string endDate)
    {
        Assert.That(ErrorsOf(endDate: endDate).Keys, Is.EquivalentTo(new[] { "endDate" }));
    }

    [Test]
    public void Validate_WhenStartDateIsAfterTheEndDay_ReportsStartDate()
    {
        Assert.That(ErrorsOf(startDate: "2023-02-01", endDate: "2023-01-31").Keys, Is.EquivalentTo(new[] { "startDate" }));
    }

    [Test]
    public void Validate_WhenStartIsLaterOnTheDateOnlyEndDay_HasNoErrors()
    {
        Assert.That(ErrorsOf(startDate: "2023-01-31T23:59:00Z", endDate: "2023-01-31"), Is.Empty);
    }

    [Test]
    public void Validate_WhenStartAndEndAreTheSameDay_HasNoErrors()
    {
        Assert.That(ErrorsOf(startDate: "2023-01-31", endDate: "2023-01-31"), Is.Empty);
    }

    [Test]
    public void Validate_WhenStartInstantIsAfterEndInstant_ReportsStartDate()
    {
        Assert.That(ErrorsOf(startDate: "1675164393073", endDate: "1675164393072").Keys, Is.EquivalentTo(new[] { "startDate" }));
    }
}
