namespace OrchRunService.Infrastructure.Persistence;

/// <summary>
/// A named lease one node holds at a time (a row of ServiceLeases): the schedule scanner's, and
/// any other duty that must run on one node only.
/// </summary>
internal sealed class ServiceLease
{
    public const int MaxNameLength = 100;

    public ServiceLease(string name, string holder, DateTimeOffset expiresAt)
    {
        Name = name;
        Holder = holder;
        ExpiresAt = expiresAt;
    }

    public string Name { get; private set; }

    /// <summary>The node id of the holder.</summary>
    public string Holder { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}
