using OrchRunService.Application.Secrets.Commands.DeleteSecret;
using OrchRunService.Application.Secrets.Commands.PutSecret;
using OrchRunService.Application.Secrets.Queries.GetSecret;
using OrchRunService.Application.Secrets.Queries.ListSecrets;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.UnitTests.Secrets;

public class SecretValidatorTests
{
    [TestCase("token")]
    [TestCase("API_token-2.v1")]
    public void Put_WhenNameAndValueAreValid_HasNoErrors(string name)
    {
        var result = new PutSecretCommandValidator().Validate(new PutSecretCommand(TestData.Namespace, name, "v"));

        Assert.That(result.Errors, Is.Empty);
    }

    [TestCase("has space")]
    [TestCase("-dash-first")]
    [TestCase("a/b")]
    [TestCase("")]
    public void Put_WhenTheNameBreaksTheRule_ReportsName(string name)
    {
        var result = new PutSecretCommandValidator().Validate(new PutSecretCommand(TestData.Namespace, name, "v"));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public void Put_WhenTheNameIsOneTooLong_ReportsName()
    {
        var result = new PutSecretCommandValidator().Validate(new PutSecretCommand(TestData.Namespace, new string('a', Secret.MaxNameLength + 1), "v"));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "name" }));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("lone-half")]
    public void Put_WhenTheValueIsMissingEmptyOrNotText_ReportsValue(string? value)
    {
        // An attribute cannot carry a lone surrogate half (it is stored as UTF-8): made here.
        value = value == "lone-half" ? "x" + (char)0xD800 : value;

        var result = new PutSecretCommandValidator().Validate(new PutSecretCommand(TestData.Namespace, "token", value));

        Assert.That(result.Errors.Select(e => e.PropertyName).Distinct(), Is.EqualTo(new[] { "_value" }));
    }

    [Test]
    public void Put_WhenTheValueIsAtItsLimit_AcceptsItAndRefusesOneMore()
    {
        var validator = new PutSecretCommandValidator();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validator.Validate(new PutSecretCommand(TestData.Namespace, "t", new string('v', Secret.MaxValueLength))).Errors, Is.Empty);
            Assert.That(validator.Validate(new PutSecretCommand(TestData.Namespace, "t", new string('v', Secret.MaxValueLength + 1))).Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "_value" }));
        }
    }

    [Test]
    public void EveryRequest_WhenTheNamespaceIsMalformed_ReportsNsfilter()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new PutSecretCommandValidator().Validate(new PutSecretCommand("bad ns", "t", "v")).Errors.Select(e => e.PropertyName), Does.Contain("nsfilter"));
            Assert.That(new GetSecretQueryValidator().Validate(new GetSecretQuery("bad ns", "t")).Errors.Select(e => e.PropertyName), Does.Contain("nsfilter"));
            Assert.That(new DeleteSecretCommandValidator().Validate(new DeleteSecretCommand("bad ns", "t")).Errors.Select(e => e.PropertyName), Does.Contain("nsfilter"));
            Assert.That(new ListSecretsQueryValidator().Validate(new ListSecretsQuery("bad ns", null, null)).Errors.Select(e => e.PropertyName), Does.Contain("nsfilter"));
            Assert.That(new GetSecretQueryValidator().Validate(new GetSecretQuery(TestData.Namespace, "a b")).Errors.Select(e => e.PropertyName), Does.Contain("name"));
            Assert.That(new DeleteSecretCommandValidator().Validate(new DeleteSecretCommand(TestData.Namespace, "a b")).Errors.Select(e => e.PropertyName), Does.Contain("name"));
            Assert.That(new ListSecretsQueryValidator().Validate(new ListSecretsQuery(TestData.Namespace, 0, -1)).Errors.Select(e => e.PropertyName), Is.EquivalentTo(new[] { "_pageSize", "_offset" }));
        }
    }
}
