using System.Text;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>How the request authenticates.</summary>
public enum FuzzAuth
{
    /// <summary>A valid token for every namespace.</summary>
    Valid = 1,
    None = 2,
    Garbage = 3,
    Expired = 4,
    WrongKey = 5,

    /// <summary>A valid token that grants only a namespace the request does not use.</summary>
    OtherNamespaceOnly = 6,
}

/// <summary>A value of one field or parameter, and what kind of value it is (null text: left out).</summary>
public readonly record struct FuzzValue(string? Text, string Kind)
{
    public static FuzzValue Missing { get; } = new(null, "missing");

    public bool IsPresent => Text is not null;
}

/// <summary>One generated request: path and query already URL-encoded, the body as bytes.</summary>
public sealed record FuzzRequest(
    ApiOperation Operation,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType,
    FuzzAuth Auth,
    IReadOnlyList<string> Kinds)
{
    public string Url => Query.Count == 0 ? Path : Path + "?" + string.Join("&", Query.Select(q => q.Key + "=" + q.Value));

    /// <summary>The kinds of value this request carries beyond valid ones ("valid" when none).</summary>
    public string Flavour => Kinds.Count == 0 ? "valid" : string.Join(",", Kinds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Operation.Method).Append(' ').Append(Url.Length > 600 ? Url[..600] + "...(" + Url.Length + " chars)" : Url);
        text.Append(" auth=").Append(Auth);
        foreach (var (name, value) in Headers)
        {
            text.Append(" [").Append(name).Append(": ").Append(value.Length > 100 ? value[..100] + "..." : value).Append(']');
        }

        if (ContentType is not null)
        {
            text.Append(" content-type=").Append(ContentType);
        }

        if (Body is not null)
        {
            var body = Encoding.UTF8.GetString(Body);
            text.Append(" body=").Append(body.Length > 600 ? body[..600] + "...(" + Body.Length + " bytes)" : body);
        }

        text.Append(" kinds=").Append(Flavour);
        return text.ToString();
    }
}
