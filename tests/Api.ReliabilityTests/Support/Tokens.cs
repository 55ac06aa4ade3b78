using OrchRunService.Api.Auth;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.ReliabilityTests.Support;

/// <summary>Tokens for the test services (they all share the functional tests' self-hosted key).</summary>
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
