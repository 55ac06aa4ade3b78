using System.Text;
using System.Text.Json;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>The values a fuzzer throws at a field besides valid ones: boundaries, wrong types, nasty text.</summary>
public static class FuzzValues
{
    public const string TestConnectorComponentId = "eced6368-2c1f-4186-acf0-3fa6e079e9a8";

    /// <summary>The service's default Runs:MaxParamsBytes: params are fuzzed at it and one byte over.</summary>
    public const int MaxParamsBytes = 64 * 1024;

    /// <summary>Text that has broken services before: injections, traversal, templating, control and exotic characters.</summary>
    public static readonly string[] NastyStrings =
    [
        "", " ", "\t", "null", "undefined", "NaN", "true", "0", "-1", "[]", "{}",
        "' OR '1'='1", "'; DROP TABLE OrchRuns;--", "\" OR \"\"=\"", "1; SELECT * FROM sqlite_master", "%' AND 1=0 UNION SELECT 1--",
        "<script>alert(1)</script>", "javascript:alert(1)", "../../../../etc/passwd", "..\\..\\windows\\win.ini",
        "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "#{7*7}", "$(id)", "`id`", "| cat /etc/passwd",
        "%00", "%n%s%x", "\u0000", "a\u0000b", "\r\nX-Injected: 1", "\u0007\u001b[31m",
        "😀", "👩‍👩‍👧‍👦", "𝕳𝖊𝖑𝖑𝖔", "\u202egnp.exe", "\u200b\u200d\ufeff", "Ǆǅǆ ﬁ ß İı", "日本語テキスト", "مرحبا", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
        "\ufffd", "\uffff", "\U0010FFFF", "A" + new string('\u0301', 50),
        "*", "?", "%", "_", "-", "/", "\\", "#", "&", "=", "+",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ];

    /// <summary>JSON text of values of the wrong type for anything.</summary>
    public static readonly string[] WrongTypeJson =
    [
        "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "99999999999999999999999", "2147483648", "-2147483649",
        "\"\"", "\"x\"", "\"1\"", "[]", "[null]", "[1,2]", "{}", "{\"a\":1}", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"",
    ];

    /// <summary>
    /// Contents of JSON string literals, escapes kept as a client sends them, for keys and values:
    /// lone surrogate halves (high, low, uppercase hex, wrong order, before a letter or another
    /// escape), noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, U+10FFFF), NUL and control escapes,
    /// needless escapes of plain letters, short escapes (<c>\/</c>), an escaped backslash before
    /// "u" (no escape at all), a well-formed pair, and the empty key.
    /// </summary>
    public static readonly string[] OddEscapes =
    [
        @"\ud800", @"\uDBFF", @"\udc00", @"\uDFFF", @"\udc00\ud800", @"\ud800a", @"a\udfff", @"\ud800\u0041", @"\ud800\n", @"\ud800\ud800\udc00",
        @"\ufffe", @"\uFFFF", @"\ufdd0", @"\uFDEF", @"\udbff\udfff", @"\uFFFE\uFFFF",
        @"\u0000", @"a\u0000b", @"\u001F", @"\u0041", @"\u002f", @"\u00E9", @"\/", @"\\", "\\\"", @"\b\f\n\r\t", @"\\ud800", @"\ud83d\ude00", "", " ",
    ];

    /// <summary>Lengths around the service's limits (names 200, descriptions 2000, user types 100, namespaces 64).</summary>
    public static readonly int[] BoundaryLengths = [1, 63, 64, 65, 99, 100, 101, 199, 200, 201, 1999, 2000, 2001, 10_000, 100_000];

    public static readonly long[] BoundaryIntegers =
    [
        0, 1, -1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 999, 1000, 1001, 86_400, 86_401, 3_600_000, 3_600_001, 100_000, 100_001,
        int.MaxValue, int.MinValue, (long)int.MaxValue + 1, (long)int.MinValue - 1, long.MaxValue, long.MinValue,
    ];

    /// <summary>A JSON string literal of <paramref name="text"/> (escaped as JSON requires).</summary>
    public static string JsonString(string text) => JsonSerializer.Serialize(text, Options);

    /// <summary>A string of <paramref name="length"/> characters drawn from <paramref name="alphabet"/>.</summary>
    public static string Repeat(string alphabet, int length)
    {
        var builder = new StringBuilder(length + alphabet.Length);
        while (builder.Length < length)
        {
            builder.Append(alphabet);
        }

        return builder.ToString(0, length);
    }

    /// <summary><paramref name="json"/> inside <paramref name="depth"/> levels of objects and arrays, alternately (<c>{"n":[{"n":...}]}</c>).</summary>
    public static string Nest(string json, int depth)
    {
        for (var level = depth; level > 0; level--)
        {
            json = level % 2 == 1 ? "{\"n\":" + json + "}" : "[" + json + "]";
        }

        return json;
    }

    /// <summary>Nested arrays <paramref name="depth"/> deep (the default JSON reader stops at 64).</summary>
    public static string DeepJson(int depth) => new string('[', depth) + new string(']', depth);

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
