namespace OrchRunService.Api.Auth;

/// <summary>
/// The <c>Auth</c> configuration section: either an external identity provider
/// (<see cref="Authority"/> + <see cref="Audience"/>) or a self-hosted symmetric key
/// (<see cref="SigningKey"/> + <see cref="Issuer"/> + <see cref="Audience"/>).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The claim that lists a namespace the caller may use (one claim per namespace).</summary>
    public const string NamespaceClaim = "ns";

    /// <summary>An <c>ns</c> claim with this value grants every namespace.</summary>
    public const string AllNamespaces = "*";

    /// <summary>
    /// The key in appsettings.Development.json. It is public (it is in the repository), so
    /// outside Development the service refuses to start with it.
    /// </summary>
    public const string DevelopmentSigningKey = "orchrun-development-signing-key-not-for-production-use-0123456789";

    public const string DevelopmentKeyOutsideDevelopment =
        "Auth:SigningKey is the Development key from appsettings.Development.json, which anyone can read. "
        + "Outside Development set Auth:SigningKey to a secret of your own (at least 32 bytes), or use Auth:Authority and Auth:Audience.";

    public string? Authority { get; set; }

    public string? Audience { get; set; }

    public string? Issuer { get; set; }

    /// <summary>HS256 key, at least 32 bytes of UTF-8.</summary>
    public string? SigningKey { get; set; }

    public bool UsesExternalProvider => !string.IsNullOrWhiteSpace(Authority);

    public bool UsesSigningKey => !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>Null when the configuration is usable; else what to set.</summary>
    public string? Problem()
    {
        if (UsesExternalProvider)
        {
            return string.IsNullOrWhiteSpace(Audience) ? "Auth:Audience must be set with Auth:Authority." : null;
        }

        if (!UsesSigningKey)
        {
            return "Authentication is not configured. Set Auth:Authority and Auth:Audience (external identity provider), "
                + "or Auth:SigningKey (at least 32 bytes), Auth:Issuer and Auth:Audience (self-hosted tokens).";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(SigningKey!) < 32)
        {
            return "Auth:SigningKey must be at least 32 bytes.";
        }

        return string.IsNullOrWhiteSpace(Issuer) || string.IsNullOrWhiteSpace(Audience)
            ? "Auth:Issuer and Auth:Audience must be set with Auth:SigningKey."
            : null;
    }
}
