using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>Resolves a host name to its addresses (DNS in production, a table in tests).</summary>
public delegate Task<IPAddress[]> ResolveHostAddresses(string host, CancellationToken cancellationToken);

/// <summary>Opens a TCP connection to one address (a socket in production, a counting hook in tests).</summary>
public delegate ValueTask<Stream> OpenConnection(IPEndPoint endpoint, CancellationToken cancellationToken);

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the <c>http_request</c> connector: it
/// resolves the host itself and connects only to an address <see cref="NetworkAddressPolicy"/>
/// allows, so the check is on the address actually connected (a DNS name that points inside, a
/// redirect, a numeric spelling of 127.0.0.1 are all caught here, before any packet is sent).
/// </summary>
internal sealed class GuardedConnection
{
    private readonly NetworkAddressPolicy _policy;
    private readonly ResolveHostAddresses _resolve;
    private readonly OpenConnection _open;

    public GuardedConnection(NetworkAddressPolicy policy, ResolveHostAddresses resolve, OpenConnection open)
    {
        _policy = policy;
        _resolve = resolve;
        _open = open;
    }

    public static Task<IPAddress[]> ResolveWithDns(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);

    public static async ValueTask<Stream> OpenSocket(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolve(host, cancellationToken);
        string? refusal = null;
        var allowed = new List<IPAddress>();
        foreach (var address in addresses)
        {
            var reason = _policy.Refusal(host, address);
            if (reason is null)
            {
                allowed.Add(address);
            }
            else
            {
                refusal ??= reason;
            }
        }

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Only allowed addresses are ever connected; a name whose every address is refused fails.
        if (allowed.Count == 0)
        {
            throw new AddressRefusedException(host, refusal!);
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            try
            {
                return await _open(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        throw last!;
    }
}
