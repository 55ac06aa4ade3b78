using System.Text;

namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>
/// A URL as the run log and the service's log show it: user-info and every query value are
/// credentials often enough (<c>https://user:pass@host/</c>, <c>?token=...</c>) that they are
/// masked, always: <c>https://***@host/path?token=***&amp;page=***</c>. The fragment is never sent, so never shown.
/// </summary>
internal static class UrlRedaction
{
    public const string Mask = "***";

    public static string ForLog(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return Mask;
        }

        var text = new StringBuilder(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            text.Append(Mask).Append('@');
        }

        text.Append(uri.GetComponents(UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped));
        var query = uri.Query;
        if (query.Length > 1)
        {
            text.Append('?').AppendJoin('&', query[1..].Split('&').Select(MaskValue));
        }

        return text.ToString();
    }

    // A "name=value" keeps its name; a lone entry ("?abc123") may be the credential itself.
    private static string MaskValue(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (entry.Length == 0 ? entry : Mask) : entry[..(equals + 1)] + Mask;
    }
}
