using FluentValidation;

namespace OrchRunService.Application.UnitTests;

/// <summary>
/// The rules every request addressed by namespace and id shares; each such validator's test
/// fixture derives from this one.
/// </summary>
public abstract class IdAndNamespaceValidatorTests<TRequest>
{
    protected abstract IValidator<TRequest> Validator { get; }

    protected abstract TRequest Request(string @namespace, string? id);

    [Test]
    public void Validate_WhenNamespaceAndIdAreValid_HasNoErrors()
    {
        Assert.That(TestData.ErrorsOf(Validator, Request(TestData.Namespace, Guid.NewGuid().ToString())), Is.Empty);
    }

    [TestCase("D")]
    [TestCase("N")]
    [TestCase("B")]
    public void Validate_WhenIdIsAGuidInAnotherSpelling_HasNoErrors(string format)
    {
        var id = Guid.NewGuid().ToString(format).ToUpperInvariant();

        Assert.That(TestData.ErrorsOf(Validator, Request(TestData.Namespace, id)), Is.Empty);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-a-guid")]
    [TestCase("42")]
    public void Validate_WhenIdIsMissingOrNotAGuid_ReportsId(string? id)
    {
        var errors = TestData.ErrorsOf(Validator, Request(TestData.Namespace, id));

        Assert.That(errors.Keys, Does.Contain("id"));
        Assert.That(errors["id"], Has.Length.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("dot.ted")]
    public void Validate_WhenNamespaceIsInvalid_ReportsNsfilter(string @namespace)
    {
        var errors = TestData.ErrorsOf(Validator, Request(@namespace, Guid.NewGuid().ToString()));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }
}
