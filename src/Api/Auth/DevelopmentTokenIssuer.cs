using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrchRunService.Api.Auth;

/// <summary>Issues HS256 tokens with the self-hosted key: the <c>token</c> verb and the tests use it.</summary>
public static class DevelopmentTokenIssuer
{
    public static string Issue(AuthOptions options, string userId, IEnumerable<string> namespaces, TimeSpan lifetime, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.UsesSigningKey)
        {
            throw new InvalidOperationException("Tokens can only be issued with Auth:SigningKey; with an external provider ask the provider.");
        }

        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new List<Claim> { new("sub", userId) };
        claims.AddRange(namespaces.Select(ns => new Claim(AuthOptions.NamespaceClaim, ns)));
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(SigningKeyOf(options), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static SymmetricSecurityKey SigningKeyOf(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey!));
    }
}
