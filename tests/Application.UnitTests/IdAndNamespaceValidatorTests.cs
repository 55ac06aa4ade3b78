using FluentValidation;

namespace OrchRunService.Application.UnitTests;

/// <summary>
/// The rules every request addressed by namespace and id shares; each such validator's test
/// fixture derives from this one. The id arrives parsed (a malformed id is refused by binding).
/// </summary>
public abstract class IdAndNamespaceValidatorTests<TRequest>
{
    protected abstract IValidator<TRequest> Validator { get; }

    protected abstract TRequest Request(string @namespace, Guid id);

    [Test]
    public void Validate_WhenNamespaceAndIdAreValid_HasNoErrors()
    {
        Assert.That(TestData.ErrorsOf(Validator, Request(TestData.Namespace, Guid.NewGuid())), Is.Empty);
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("dot.ted")]
    public void Validate_WhenNamespaceIsInvalid_ReportsNsfilter(string @namespace)
    {
        var errors = TestData.ErrorsOf(Validator, Request(@namespace, Guid.NewGuid()));

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }
}
