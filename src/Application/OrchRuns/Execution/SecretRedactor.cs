using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>
/// Replaces the values of the secrets a step uses with <see cref="Mask"/> in whatever the step
/// writes where users or operators read it (run log, <c>_statusmsg</c>, <c>_result</c>, the
/// service's log). Each value is also matched as it appears percent-encoded in a URL and escaped
/// in JSON text.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "***";

    public static readonly SecretRedactor None = new([]);

    private readonly string[] _forms;

    public SecretRedactor(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);

        // Longest first, so a value that contains another is masked whole.
        _forms = values.Where(v => v.Length > 0)
            .SelectMany(v => new[] { v, Uri.EscapeDataString(v), JsonEncodedText.Encode(v, JavaScriptEncoder.Default).ToString(), JsonEncodedText.Encode(v, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => f.Length)
            .ToArray();
    }

    public bool IsEmpty => _forms.Length == 0;

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var form in _forms)
        {
            text = text.Replace(form, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
