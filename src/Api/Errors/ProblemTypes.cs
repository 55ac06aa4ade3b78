namespace OrchRunService.Api.Errors;

/// <summary>
/// The stable <c>type</c> of every problem answer, one per error kind, so clients can branch on
/// it rather than on the human <c>detail</c>. Listed in docs/errors.md.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:orchrun:problem:";

    public const string Validation = Prefix + "validation";
    public const string MalformedRequest = Prefix + "malformed-request";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string NotAcceptable = Prefix + "not-acceptable";
    public const string Conflict = Prefix + "conflict";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string QueueLimit = Prefix + "queue-limit";
    public const string FollowLimit = Prefix + "follow-limit";
    public const string ScheduleLimit = Prefix + "schedule-limit";
    public const string IdempotencyKeyReused = Prefix + "idempotency-key-reused";
    public const string RateLimited = Prefix + "rate-limited";
    public const string Unavailable = Prefix + "unavailable";
    public const string Internal = Prefix + "internal";

    public static bool IsOurs(string? type) => type?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The type for an answer the framework produced with only a status code.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => MalformedRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        431 => Prefix + "headers-too-large",
        429 => RateLimited,
        503 => Unavailable,
        _ => status >= 500 ? Internal : Prefix + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string TitleFor(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "Access to this namespace is not allowed.",
        404 => "The resource was not found.",
        405 => "The method is not allowed on this resource.",
        406 => "The requested representation is not available.",
        409 => "The request conflicts with the resource's state.",
        413 => "The request body is too large.",
        415 => "The content type is not supported; send application/json.",
        422 => "The request cannot be processed as sent.",
        431 => "The request headers are too large.",
        429 => "Too many requests.",
        503 => "The service is temporarily unavailable.",
        _ => status >= 500 ? "An unexpected error occurred." : "The request failed.",
    };
}
