using OrchRunService.Api.Auth;

namespace OrchRunService.TestSupport;

/// <summary>Tokens for the test services: they all trust <see cref="OrchRunApiFactory.Auth"/>, the self-hosted key of the tests.</summary>
public static class Tokens
{
    public static string For(string user, params string[] namespaces) => OrchRunApiFactory.TokenFor(user, namespaces);

    public static string Expired(string user) =>
        DevelopmentTokenIssuer.Issue(OrchRunApiFactory.Auth, user, ["*"], TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-3));

    public static string SignedWithAnotherKey(string user) =>
        DevelopmentTokenIssuer.Issue(
            new AuthOptions { Issuer = OrchRunApiFactory.Auth.Issuer, Audience = OrchRunApiFactory.Auth.Audience, SigningKey = "another-key-that-the-service-does-not-know-0123456789" },
            user,
            ["*"],
            TimeSpan.FromHours(1));
}
