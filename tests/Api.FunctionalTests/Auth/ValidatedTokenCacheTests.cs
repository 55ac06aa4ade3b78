using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrchRunService.Api.Auth;
using OrchRunService.Api.FunctionalTests.Support;

namespace OrchRunService.Api.FunctionalTests.Auth;

/// <summary>The cache of validated bearer tokens in front of the JWT handler.</summary>
public class ValidatedTokenCacheTests
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private CountingHandler _inner = null!;
    private ManualClock _clock = null!;

    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = OrchRunApiFactory.Auth.Issuer,
        ValidAudience = OrchRunApiFactory.Auth.Audience,
        IssuerSigningKey = DevelopmentTokenIssuer.SigningKeyOf(OrchRunApiFactory.Auth),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RequireExpirationTime = true,
    };

    [SetUp]
    public void SetUp()
    {
        _inner = new CountingHandler();
        _clock = new ManualClock(DateTimeOffset.UtcNow);
    }

    private static string Token(TimeSpan lifetime, string user = "alice", DateTimeOffset? issuedAt = null) =>
        DevelopmentTokenIssuer.Issue(OrchRunApiFactory.Auth, user, ["ns_a", "ns_b"], lifetime, issuedAt);

    [Test]
    public async Task ValidateTokenAsync_WhenTheSameTokenComesAgain_ValidatesItOnceAndGivesEachCallerTheSameClaims()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, Capacity, MaxAge);
        var token = Token(TimeSpan.FromHours(1));

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_inner.Calls, Is.EqualTo(1));
            Assert.That(first.IsValid && second.IsValid, Is.True);
            Assert.That(second.ClaimsIdentity.Name, Is.EqualTo("alice"));
            Assert.That(second.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), Is.EquivalentTo(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value))));
            Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity), "each request gets its own identity");
            Assert.That(second.SecurityToken.ValidTo, Is.EqualTo(first.SecurityToken.ValidTo));
        }
    }

    [Test]
    public async Task ValidateTokenAsync_WhenTheTokenHasExpiredSinceItWasRemembered_ValidatesItAgain()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, Capacity, MaxAge);
        var token = Token(TimeSpan.FromMinutes(2));
        await cache.ValidateTokenAsync(token, Parameters);

        _clock.Now = _clock.Now.AddMinutes(1);
        await cache.ValidateTokenAsync(token, Parameters);
        Assert.That(_inner.Calls, Is.EqualTo(1), "still valid: remembered");

        _clock.Now = _clock.Now.AddMinutes(2);
        await cache.ValidateTokenAsync(token, Parameters);
        Assert.That(_inner.Calls, Is.EqualTo(2), "past its expiry the token is validated again");
    }

    [Test]
    public async Task ValidateTokenAsync_WhenRememberedLongerThanTheMaximumAge_ValidatesItAgain()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, Capacity, MaxAge);
        var token = Token(TimeSpan.FromHours(12));
        await cache.ValidateTokenAsync(token, Parameters);

        _clock.Now = _clock.Now + MaxAge + TimeSpan.FromSeconds(1);
        await cache.ValidateTokenAsync(token, Parameters);

        Assert.That(_inner.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task ValidateTokenAsync_WhenTheTokenIsRefused_RemembersNothing()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, Capacity, MaxAge);
        var expired = Token(TimeSpan.FromMinutes(5), issuedAt: DateTimeOffset.UtcNow.AddHours(-2));

        var first = await cache.ValidateTokenAsync(expired, Parameters);
        var second = await cache.ValidateTokenAsync(expired, Parameters);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.IsValid || second.IsValid, Is.False);
            Assert.That(_inner.Calls, Is.EqualTo(2));
            Assert.That(cache.Count, Is.Zero);
        }
    }

    [Test]
    public async Task ValidateTokenAsync_WhenMoreTokensThanItsCapacity_StaysWithinIt()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 3, MaxAge);

        foreach (var user in Enumerable.Range(0, 10).Select(i => $"user{i}"))
        {
            Assert.That((await cache.ValidateTokenAsync(Token(TimeSpan.FromHours(1), user), Parameters)).IsValid, Is.True);
            Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
        }
    }

    private sealed class CountingHandler : JsonWebTokenHandler
    {
        public CountingHandler()
        {
            MapInboundClaims = false;
        }

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
