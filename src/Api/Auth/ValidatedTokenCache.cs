using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace OrchRunService.Api.Auth;

/// <summary>
/// A token handler that remembers the bearer tokens its inner handler accepted, so a
/// client sending the same token on every request pays for its signature check and claim
/// parsing once (figures: docs/decisions/009-validated-token-cache.md). A remembered token is
/// accepted only until it expires and at most its maximum age after it was validated (so a
/// signing key withdrawn by an external provider stops counting soon); every caller gets its
/// own copy of the claims. Failed validations are not remembered. The set is bounded: when it
/// is full, expired entries go, and if none have, all of them.
/// </summary>
internal sealed class ValidatedTokenCache : TokenHandler
{
    private readonly TokenHandler _inner;
    private readonly TimeProvider _clock;
    private readonly int _capacity;
    private readonly TimeSpan _maxAge;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValidatedTokenCache(TokenHandler inner, TimeProvider clock, int capacity, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        _inner = inner;
        _clock = clock;
        _capacity = capacity;
        _maxAge = maxAge;
    }

    public int Count => _entries.Count;

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(token, out var entry))
        {
            if (now < entry.ValidUntil)
            {
                return entry.Copy();
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.ClaimsIdentity is not null && result.SecurityToken is { } validated
            && validated.ValidTo > now)
        {
            var validUntil = validated.ValidTo < now + _maxAge ? validated.ValidTo : now + _maxAge;
            MakeRoom(now);
            _entries[token] = new Entry(result.ClaimsIdentity.Clone(), validated, result.Issuer, result.TokenType, validUntil);
        }

        return result;
    }

    private void MakeRoom(DateTime now)
    {
        if (_entries.Count < _capacity)
        {
            return;
        }

        foreach (var (token, entry) in _entries)
        {
            if (now >= entry.ValidUntil)
            {
                _entries.TryRemove(token, out _);
            }
        }

        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(System.Security.Claims.ClaimsIdentity Identity, SecurityToken Token, string Issuer, string TokenType, DateTime ValidUntil)
    {
        public TokenValidationResult Copy() => new()
        {
            IsValid = true,
            ClaimsIdentity = Identity.Clone(),
            SecurityToken = Token,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
