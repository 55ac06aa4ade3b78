namespace OrchRunService.Application.Common.Models;

/// <summary>
/// A create that carried an <c>Idempotency-Key</c>: which run it made, and a fingerprint of its
/// body, so a retry with the same key gets the same run and a different body is refused. A key
/// is the user's own within a namespace: another user's same key is a different record.
/// </summary>
public sealed class IdempotencyRecord
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public IdempotencyRecord(string @namespace, string userId, string key, string requestHash, Guid runId, DateTimeOffset createdAt)
    {
        Namespace = @namespace;
        UserId = userId;
        Key = key;
        RequestHash = requestHash;
        RunId = runId;
        CreatedAt = createdAt;
    }

    public string Namespace { get; private set; }

    public string UserId { get; private set; }

    public string Key { get; private set; }

    public string RequestHash { get; private set; }

    public Guid RunId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsLiveAt(DateTimeOffset now) => now - CreatedAt < Lifetime;

    /// <summary>The key is reused after it expired (or its run was deleted): it now names a new create.</summary>
    public void Reassign(string requestHash, Guid runId, DateTimeOffset now)
    {
        RequestHash = requestHash;
        RunId = runId;
        CreatedAt = now;
    }
}
