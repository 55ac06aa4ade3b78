namespace OrchRunService.Application.Common.Exceptions;

/// <summary>One more open log follow than the limits allow (a 429 with Retry-After).</summary>
public sealed class FollowLimitExceededException : Exception
{
    public FollowLimitExceededException(string message) : base(message)
    {
    }
}
