using OrchRunService.Application.Orchestrators.Queries.ListOrchestrators;

namespace OrchRunService.Application.UnitTests.Orchestrators.Queries.ListOrchestrators;

public class ListOrchestratorsQueryValidatorTests
{
    private readonly ListOrchestratorsQueryValidator _validator = new();

    [Test]
    public void Validate_WhenNoPaging_HasNoErrors()
    {
        Assert.That(TestData.ErrorsOf(_validator, new ListOrchestratorsQuery(TestData.Namespace, null, null)), Is.Empty);
    }

    [TestCase(0, 0, "_pageSize")]
    [TestCase(1001, 0, "_pageSize")]
    [TestCase(10, -1, "_offset")]
    public void Validate_WhenPagingIsOutOfRange_ReportsTheField(int pageSize, int offset, string field)
    {
        var errors = TestData.ErrorsOf(_validator, new ListOrchestratorsQuery(TestData.Namespace, pageSize, offset));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { field }));
    }

    [Test]
    public void Validate_WhenNamespaceIsMissing_ReportsNsfilter()
    {
        Assert.That(TestData.ErrorsOf(_validator, new ListOrchestratorsQuery("", null, null)).Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }
}
