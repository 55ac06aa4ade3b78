using System.Net;
using System.Net.Sockets;

namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>
/// Decides whether the <c>http_request</c> connector may connect to an address: never to the
/// service's own networks (loopback, private, link-local, shared, ULA, multicast, broadcast, and
/// their IPv4-mapped or IPv4-compatible IPv6 spellings) unless an administrator allowed it.
/// </summary>
internal sealed class NetworkAddressPolicy
{
    private static readonly (AddressRange Range, string Reason)[] Forbidden =
    [
        (AddressRange.Parse("0.0.0.0/8"), "an unspecified address"),
        (AddressRange.Parse("127.0.0.0/8"), "a loopback address"),
        (AddressRange.Parse("10.0.0.0/8"), "in a private network"),
        (AddressRange.Parse("172.16.0.0/12"), "in a private network"),
        (AddressRange.Parse("192.168.0.0/16"), "in a private network"),
        (AddressRange.Parse("100.64.0.0/10"), "in a private network"),
        (AddressRange.Parse("169.254.0.0/16"), "a link-local address"),
        (AddressRange.Parse("224.0.0.0/4"), "a multicast address"),
        (AddressRange.Parse("240.0.0.0/4"), "a reserved or broadcast address"),
        (AddressRange.Parse("::/128"), "an unspecified address"),
        (AddressRange.Parse("::1/128"), "a loopback address"),
        (AddressRange.Parse("fe80::/10"), "a link-local address"),
        (AddressRange.Parse("fc00::/7"), "in a private network"),
        (AddressRange.Parse("ff00::/8"), "a multicast address"),
    ];

    private readonly HashSet<string> _allowedHosts;
    private readonly AddressRange[] _allowedRanges;
    private readonly bool _allowPrivateNetworks;

    public NetworkAddressPolicy(HttpRequestConnectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowPrivateNetworks = options.AllowPrivateNetworks;
        var ranges = new List<AddressRange>();
        _allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in options.AllowedHosts.Select(h => h.Trim()).Where(h => h.Length > 0))
        {
            if (AddressRange.TryParse(entry, out var range))
            {
                ranges.Add(range);
            }
            else
            {
                _allowedHosts.Add(entry.TrimEnd('.'));
            }
        }

        _allowedRanges = [.. ranges];
    }

    /// <summary>Null when <paramref name="address"/> (of <paramref name="host"/>) may be connected, else why not, as "the address of host is ...".</summary>
    public string? Refusal(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_allowPrivateNetworks || _allowedHosts.Contains(host.TrimEnd('.')))
        {
            return null;
        }

        var canonical = Canonical(address);
        if (_allowedRanges.Any(r => r.Contains(canonical) || r.Contains(address)))
        {
            return null;
        }

        if (canonical.Equals(IPAddress.Broadcast))
        {
            return "a broadcast address";
        }

        foreach (var (range, reason) in Forbidden)
        {
            if (range.Contains(canonical))
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>The IPv4 address an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d) IPv6 address stands for.</summary>
    private static IPAddress Canonical(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        // ::1 and :: are themselves (loopback, unspecified), not IPv4 0.0.0.1 / 0.0.0.0.
        if (compatible && !address.Equals(IPAddress.IPv6Loopback) && !address.Equals(IPAddress.IPv6Any))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return address;
    }
}
