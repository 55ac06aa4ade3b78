using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Api.Auth;

/// <summary>
/// A 401 says why, so a client can fix its token: none sent, expired, a signature this service
/// cannot verify, another audience or issuer, a user id too long to store. It never names keys.
/// </summary>
internal static class BearerRejection
{
    public static Task RefuseUnstorableSubject(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirst("sub")?.Value;
        if (subject is not null && subject.Length > OrchRun.MaxCreatedByLength)
        {
            context.Fail(new SubjectTooLongException());
        }

        return Task.CompletedTask;
    }

    public static async Task WriteProblemAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var sent = context.Request.Headers.Authorization.Count > 0;
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = sent ? "Bearer error=\"invalid_token\"" : "Bearer";
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = Reason(context.AuthenticateFailure, sent) },
        });
    }

    public static string Reason(Exception? failure, bool tokenSent) => failure switch
    {
        null when !tokenSent => "No bearer token was sent: send Authorization: Bearer <token>.",
        null => "The Authorization header does not carry a bearer token: send Authorization: Bearer <token>.",
        SubjectTooLongException => $"The token's sub is longer than the {OrchRun.MaxCreatedByLength} characters the service stores as a user id; ask for a token with a shorter sub.",
        SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:O}; get a new one.",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf is in the future); check the clocks.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature does not verify with this service's signing keys; it was signed for another service or altered.",
        SecurityTokenInvalidAudienceException => "The token's audience (aud) is not this service.",
        SecurityTokenInvalidIssuerException => "The token's issuer (iss) is not one this service trusts.",
        SecurityTokenNoExpirationException => "The token has no expiry (exp); tokens without one are not accepted.",
        SecurityTokenMalformedException or ArgumentException => "The bearer token is not a well-formed JWT.",
        _ => "The bearer token is not valid.",
    };

    /// <summary>The token is valid, but its user id cannot be stored as a run's creator.</summary>
    private sealed class SubjectTooLongException : SecurityTokenValidationException
    {
        public SubjectTooLongException()
            : base("The token's sub is too long.")
        {
        }
    }
}
