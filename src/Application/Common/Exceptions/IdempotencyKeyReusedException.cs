namespace OrchRunService.Application.Common.Exceptions;

/// <summary>An Idempotency-Key already used, within its lifetime, for a create with a different body.</summary>
public sealed class IdempotencyKeyReusedException : Exception
{
    public IdempotencyKeyReusedException(string key)
        : base($"Idempotency-Key '{key}' was already used for a different request in the last 24 hours.")
    {
    }
}
