using OrchRunService.Domain.Common;

namespace OrchRunService.Domain.Secrets;

/// <summary>
/// A named value of one namespace that step parameters refer to (<see cref="SecretReferences"/>)
/// instead of carrying it. The domain only ever holds the value protected (encrypted): it is
/// written, replaced and deleted, never read back through the API.
/// </summary>
public sealed class Secret
{
    public const int MaxNameLength = 128;

    /// <summary>The largest value, in characters: a token, a password or a key, not a document.</summary>
    public const int MaxValueLength = 8192;

    public const string NameRule = "1-128 characters of A-Z, a-z, 0-9, '_', '-' or '.', starting with a letter or digit";

    // For EF Core materialisation.
    private Secret()
    {
        Namespace = string.Empty;
        Name = string.Empty;
        ProtectedValue = string.Empty;
    }

    public string Namespace { get; private set; }

    public string Name { get; private set; }

    /// <summary>The value as the protector made it; only the protector can read it.</summary>
    public string ProtectedValue { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    public static Secret Create(string @namespace, string name, string protectedValue, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        if (!IsValidName(name))
        {
            throw new DomainValidationException("Name", $"A secret's name must be {NameRule}.");
        }

        var secret = new Secret { Namespace = @namespace, Name = name, CreatedAt = now };
        secret.SetValue(protectedValue);
        return secret;
    }

    /// <summary>Replaces the value; the name and creation time stay.</summary>
    public void Replace(string protectedValue, DateTimeOffset now)
    {
        SetValue(protectedValue);
        UpdatedAt = now;
    }

    /// <summary>Whether <paramref name="name"/> may name a secret (<see cref="NameRule"/>).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private void SetValue(string protectedValue)
    {
        if (string.IsNullOrEmpty(protectedValue))
        {
            throw new DomainValidationException("Value", "A secret needs a value.");
        }

        ProtectedValue = protectedValue;
    }
}
