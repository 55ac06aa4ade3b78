using System.Globalization;

namespace OrchRunService.Domain.Common;

/// <summary>
/// What System.Text.Json parses but cannot read back as text: a key or string that escapes one
/// half of a UTF-16 surrogate pair without the other (<c>"\ud800"</c>, <c>"\udc00"</c>, halves in
/// the wrong order). The parser keeps such escapes as they are; reading the key or string later
/// (the duplicate-key check of a strict parse, <c>GetString</c>, <c>ToJsonString</c>) throws
/// <see cref="InvalidOperationException"/>. Client JSON is checked here before anything reads it.
/// </summary>
public static class JsonText
{
    /// <summary>
    /// True when a key or string of <paramref name="json"/> holds a surrogate half without its
    /// other half, escaped (<c>\uD800</c>, any hex case) or as a raw character. Meant for text
    /// that is JSON: JSON has no backslash outside strings, so every escape is in a key or string.
    /// </summary>
    public static bool HasUnpairedSurrogate(ReadOnlySpan<char> json)
    {
        var start = FirstCandidate(json);
        if (start < 0)
        {
            return false;
        }

        // An escaped high half must be followed at once by an escaped low half.
        var awaitingLowHalf = false;
        for (var i = start; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '\\' && i + 1 < json.Length)
            {
                if (json[i + 1] == 'u' && i + 5 < json.Length
                    && ushort.TryParse(json.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
                {
                    i += 5;
                    if (char.IsLowSurrogate((char)unit) && awaitingLowHalf)
                    {
                        awaitingLowHalf = false;
                    }
                    else if (awaitingLowHalf || char.IsLowSurrogate((char)unit))
                    {
                        return true;
                    }
                    else
                    {
                        awaitingLowHalf = char.IsHighSurrogate((char)unit);
                    }

                    continue;
                }

                // Any other escape (\" \\ \/ \n ...) is one character: skip it whole, so that
                // "\\ud800" (a backslash, then letters) is not taken for an escape.
                i++;
            }

            if (awaitingLowHalf)
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < json.Length && char.IsLowSurrogate(json[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return awaitingLowHalf;
    }

    /// <summary>Where the first backslash or raw surrogate is; -1 for the common text without either.</summary>
    private static int FirstCandidate(ReadOnlySpan<char> json)
    {
        var backslash = json.IndexOf('\\');
        var surrogate = json.IndexOfAnyInRange('\uD800', '\uDFFF');
        return backslash < 0 ? surrogate : surrogate < 0 ? backslash : Math.Min(backslash, surrogate);
    }
}
