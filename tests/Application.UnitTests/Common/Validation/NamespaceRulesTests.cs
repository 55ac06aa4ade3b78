using FluentValidation;
using OrchRunService.Application.Common.Validation;

namespace OrchRunService.Application.UnitTests.Common.Validation;

public class NamespaceRulesTests
{
    private sealed class NamespaceValidator : AbstractValidator<string>
    {
        public NamespaceValidator()
        {
            RuleFor(ns => ns).ValidNamespace();
        }
    }

    private readonly NamespaceValidator _validator = new();

    [TestCase("a")]
    [TestCase("AT_BEtqYlZ4")]
    [TestCase("test_bXgr468E")]
    [TestCase("with-dash_and_9")]
    public void ValidNamespace_WhenOneToSixtyFourAllowedCharacters_Passes(string @namespace)
    {
        Assert.That(TestData.ErrorsOf(_validator, @namespace), Is.Empty);
    }

    [Test]
    public void ValidNamespace_WhenSixtyFourCharacters_Passes()
    {
        Assert.That(TestData.ErrorsOf(_validator, new string('a', 64)), Is.Empty);
    }

    [Test]
    public void ValidNamespace_WhenSixtyFiveCharacters_ReportsNsfilter()
    {
        Assert.That(TestData.ErrorsOf(_validator, new string('a', 65)).Keys, Is.EquivalentTo(new[] { NamespaceRules.FieldName }));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("a b")]
    [TestCase("a.b")]
    [TestCase("a/b")]
    [TestCase("ünïcode")]
    [TestCase("team_a\n")]
    [TestCase("\nteam_a")]
    public void ValidNamespace_WhenEmptyOrOtherCharacters_ReportsNsfilter(string @namespace)
    {
        Assert.That(TestData.ErrorsOf(_validator, @namespace).Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }

    [Test]
    public void ValidNamespace_WhenEmpty_SaysItIsRequiredOnce()
    {
        var errors = TestData.ErrorsOf(_validator, string.Empty);

        Assert.That(errors["nsfilter"], Is.EqualTo(new[] { "The nsfilter query parameter is required." }));
    }
}
