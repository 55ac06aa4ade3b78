using System.Text.Json.Nodes;
using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.UnitTests.Common;

public class StepParametersTests
{
    private const string Field = "_actualparams[0].params";

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void FromJson_WhenAbsent_ReturnsEmpty(string? json)
    {
        Assert.That(StepParameters.FromJson(json, Field), Is.SameAs(StepParameters.Empty));
    }

    [Test]
    public void FromStored_WhenGivenWhatFromJsonWrote_EqualsItWithoutParsingAgain()
    {
        var written = StepParameters.FromJson("""{ "iterations" : 3, "s": "\u00e9" }""", Field);

        var read = StepParameters.FromStored(written.Json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.EqualTo(written));
            Assert.That(read.Json, Is.SameAs(written.Json), "the stored text is kept as it is");
            Assert.That(StepParameters.FromStored("{}"), Is.SameAs(StepParameters.Empty));
        }
    }

    [Test]
    public void Empty_WhenRead_IsTheEmptyJsonObject()
    {
        Assert.That(StepParameters.Empty.Json, Is.EqualTo("{}"));
    }

    [Test]
    public void FromJson_WhenAnObject_KeepsItAsCompactJson()
    {
        var parameters = StepParameters.FromJson("""{ "iterations" : 3, "nested": { "a": [1, 2] } }""", Field);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parameters.Json, Is.EqualTo("""{"iterations":3,"nested":{"a":[1,2]}}"""));
            Assert.That(parameters.ToString(), Is.EqualTo(parameters.Json));
        }
    }

    [TestCase("[]")]
    [TestCase("[{\"a\":1}]")]
    [TestCase("1")]
    [TestCase("\"text\"")]
    [TestCase("true")]
    [TestCase("null")]
    [TestCase("{")]
    [TestCase("{\"a\":1} {}")]
    [TestCase("not json")]
    public void FromJson_WhenNotAJsonObject_ThrowsDomainValidationExceptionForTheField(string json)
    {
        Assert.That(
            () => StepParameters.FromJson(json, Field),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo(Field));
    }

    [TestCase("""{"a":1,"a":2}""")]
    [TestCase("""{"a":{"b":1,"b":2}}""")]
    [TestCase("""{"a":1,"\u0061":2}""")]
    [TestCase("""{"\ud83d\ude00":1,"😀":2}""")]
    [TestCase("""{"n":{"\/":1,"/":2}}""")]
    public void FromJson_WhenAKeyIsRepeated_ThrowsDomainValidationExceptionForTheField(string json)
    {
        Assert.That(
            () => StepParameters.FromJson(json, Field),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo(Field));
    }

    [TestCase("""{"\ud800":1}""")]
    [TestCase("""{"\udc00":1,"\udc00":2}""")]
    [TestCase("""{"a":[{"b":{"\uDFFF":1}}]}""")]
    [TestCase("""{"a":"\ud800"}""")]
    [TestCase("""{"a":{"b":["\udc00\ud800"]}}""")]
    public void FromJson_WhenAKeyOrStringHoldsAnUnpairedSurrogate_ThrowsDomainValidationExceptionForTheField(string json)
    {
        Assert.That(
            () => StepParameters.FromJson(json, Field),
            Throws.TypeOf<DomainValidationException>()
                .With.Property(nameof(DomainValidationException.Field)).EqualTo(Field)
                .And.Message.EqualTo(StepParameters.UnpairedSurrogateMessage));
    }

    [Test]
    public void FromJson_WhenKeysAndStringsHoldPairsNoncharactersAndOddEscapes_KeepsThemAsText()
    {
        var parameters = StepParameters.FromJson("""{"\ud83d\ude00":"\uffff","\ufdd0":"\u0000","\/":"\\ud800"}""", Field);

        var keys = JsonNode.Parse(parameters.Json)!.AsObject().Select(p => p.Key);
        Assert.That(keys, Is.EqualTo(new[] { "\U0001F600", "\uFDD0", "/" }));
    }

    [Test]
    public void OverlaidWith_WhenOverridesGiven_ReplacesTopLevelKeysAndKeepsTheOthers()
    {
        var defaults = StepParameters.FromJson("""{"iterations":10,"intervalMs":6000,"nested":{"a":1,"b":2}}""", Field);
        var overrides = StepParameters.FromJson("""{"iterations":0,"nested":{"c":3},"extra":null}""", Field);

        var merged = defaults.OverlaidWith(overrides);

        Assert.That(merged.Json, Is.EqualTo("""{"iterations":0,"intervalMs":6000,"nested":{"c":3},"extra":null}"""));
    }

    [Test]
    public void OverlaidWith_WhenCalled_LeavesBothInputsUnchanged()
    {
        var defaults = StepParameters.FromJson("""{"a":1}""", Field);
        var overrides = StepParameters.FromJson("""{"a":2,"b":3}""", Field);

        _ = defaults.OverlaidWith(overrides);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(defaults.Json, Is.EqualTo("""{"a":1}"""));
            Assert.That(overrides.Json, Is.EqualTo("""{"a":2,"b":3}"""));
        }
    }

    [Test]
    public void OverlaidWith_WhenDefaultsAreEmpty_ReturnsTheOverrides()
    {
        var overrides = StepParameters.FromJson("""{"a":2}""", Field);

        Assert.That(StepParameters.Empty.OverlaidWith(overrides).Json, Is.EqualTo("""{"a":2}"""));
    }

    [Test]
    public void OverlaidWith_WhenOverridesAreEmpty_ReturnsTheSameInstance()
    {
        var defaults = StepParameters.FromJson("""{"a":1}""", Field);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(defaults.OverlaidWith(StepParameters.Empty), Is.SameAs(defaults));
            Assert.That(defaults.OverlaidWith(StepParameters.FromJson("{ }", Field)), Is.SameAs(defaults));
        }
    }

    [Test]
    public void OverlaidWith_WhenOverridesAreNull_ThrowsArgumentNullException()
    {
        Assert.That(() => StepParameters.Empty.OverlaidWith(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Equality_WhenTheSameJson_IsEqual()
    {
        Assert.That(StepParameters.FromJson("""{ "a": 1 }""", Field), Is.EqualTo(StepParameters.FromJson("""{"a":1}""", Field)));
    }
}
