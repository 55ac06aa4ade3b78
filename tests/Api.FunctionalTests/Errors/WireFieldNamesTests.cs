using OrchRunService.Api.Errors;

namespace OrchRunService.Api.FunctionalTests.Errors;

public class WireFieldNamesTests
{
    [TestCase("Name", "_name")]
    [TestCase("Steps", "steps")]
    [TestCase("Steps[3].Params", "steps[3]._params")]
    [TestCase("Steps[0].TimeoutSeconds", "steps[0]._timeoutSeconds")]
    [TestCase("Steps[12].Retries", "steps[12]._retries")]
    [TestCase("Steps[1].RetryDelayMs", "steps[1]._retryDelayMs")]
    [TestCase("ActualParams[0].StepId", "_actualparams[0].sequence_type_id")]
    [TestCase("ActualParams[2].Params", "_actualparams[2].params")]
    public void Of_WhenTheDomainNamesAField_SpellsItAsTheRequestDoes(string domainField, string wireField)
    {
        Assert.That(WireFieldNames.Of(domainField), Is.EqualTo(wireField));
    }

    [Test]
    public void Of_WhenTheFieldHasNoWireSpelling_PassesItOn()
    {
        Assert.That(WireFieldNames.Of("Something[1].Else"), Is.EqualTo("Something[1].Else"));
    }
}
