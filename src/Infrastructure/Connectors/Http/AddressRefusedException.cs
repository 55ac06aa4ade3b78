namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>Every address of a host is one the connector may not reach; thrown before any connect.</summary>
internal sealed class AddressRefusedException : Exception
{
    public AddressRefusedException(string host, string reason)
        : base($"the address of {host} is {reason}; ask an administrator to allow it")
    {
        Host = host;
    }

    public string Host { get; }
}
