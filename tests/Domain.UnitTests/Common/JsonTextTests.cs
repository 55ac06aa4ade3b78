using System.Text.Json;
using System.Text.Json.Nodes;
using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.UnitTests.Common;

public class JsonTextTests
{
    /// <summary>JSON that System.Text.Json parses and then fails to read: a key or string with half a surrogate pair.</summary>
    public static IEnumerable<TestCaseData> Unpaired()
    {
        yield return Case("""{"\ud800":1}""", "key, high half (fuzz seed 7191372825634450017)");
        yield return Case("""{"\udc00":1}""", "key, low half");
        yield return Case("""{"\uDBFF":1}""", "key, uppercase hex");
        yield return Case("""{"\uDbFf":1}""", "key, mixed-case hex");
        yield return Case("""{"a\udfffb":1}""", "key, low half between letters");
        yield return Case("""{"\udc00\ud800":1}""", "key, halves in the wrong order");
        yield return Case("""{"\ud800\ud800\udc00":1}""", "key, two high halves then a low one");
        yield return Case("""{"\ud800\u0041":1}""", "key, high half before a letter escape");
        yield return Case("""{"\ud800\n":1}""", "key, high half before another escape");
        yield return Case("""{"\ud800x":1}""", "key, high half before a raw letter");
        yield return Case("""{"\\\ud800":1}""", "key, escaped backslash then a real escape");
        yield return Case("""{"a":{"b":[{"\ud800":1}]}}""", "key at depth 4");
        yield return Case("""{"a":"\ud800"}""", "string, high half");
        yield return Case("""{"a":["x","\udfff"]}""", "string in an array, low half");
        yield return Case("""{"a":"\ud800""", "text that ends after a high half");
        yield return Case("{\"a\":\"\ud800\"}", "a raw high half in the text");
        yield return Case("{\"a\":\"\udc00\ud800\"}", "raw halves in the wrong order");

        static TestCaseData Case(string json, string name) => new TestCaseData(json).SetArgDisplayNames(name);
    }

    /// <summary>Odd but well-formed text: pairs, noncharacters, NUL, other escapes, escaped backslashes before "u".</summary>
    public static IEnumerable<TestCaseData> WellFormed()
    {
        yield return Case("{}", "empty object");
        yield return Case("""{"iterations":3,"nested":{"a":[1,2,null,true]}}""", "no escapes");
        yield return Case("""{"\ud83d\ude00":"\uD83D\uDE00"}""", "escaped pairs, both cases");
        yield return Case("{\"😀\":\"😀\"}", "raw pairs");
        yield return Case("""{"\uffff":"\ufffe","\ufdd0":"\uFDEF"}""", "noncharacters");
        yield return Case("""{"\u0000":"\u001f"}""", "NUL and control escapes");
        yield return Case("""{"\/":"\"\\\b\f\n\r\t"}""", "every short escape");
        yield return Case("""{"\\ud800":"\\udc00"}""", "an escaped backslash before ud800 is no escape");
        yield return Case("""{"\\\\ud800":1}""", "two escaped backslashes before ud800");
        yield return Case("""{"a":"\u00e9\u20ac\uDBFF\uDFFF"}""", "BMP escapes and the last pair");

        static TestCaseData Case(string json, string name) => new TestCaseData(json).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(Unpaired))]
    public void HasUnpairedSurrogate_WhenAKeyOrStringHoldsHalfAPair_ReturnsTrue(string json)
    {
        Assert.That(JsonText.HasUnpairedSurrogate(json), Is.True);
    }

    [TestCaseSource(nameof(WellFormed))]
    public void HasUnpairedSurrogate_WhenEveryKeyAndStringIsText_ReturnsFalse(string json)
    {
        Assert.That(JsonText.HasUnpairedSurrogate(json), Is.False);
    }

    /// <summary>The check agrees with System.Text.Json: what it passes, a strict parse and a write-back read without throwing.</summary>
    [TestCaseSource(nameof(WellFormed))]
    public void HasUnpairedSurrogate_WhenItReturnsFalse_SystemTextJsonReadsEveryKeyAndString(string json)
    {
        Assert.That(() => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!.ToJsonString(), Throws.Nothing);
    }

    /// <summary>...and what it refuses (when it is JSON), System.Text.Json fails to read.</summary>
    [TestCaseSource(nameof(Unpaired))]
    public void HasUnpairedSurrogate_WhenItReturnsTrue_SystemTextJsonCannotReadTheText(string json)
    {
        Assert.That(() => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!.ToJsonString(), Throws.Exception);
    }
}
