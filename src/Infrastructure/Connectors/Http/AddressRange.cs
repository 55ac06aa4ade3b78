using System.Net;
using System.Net.Sockets;

namespace OrchRunService.Infrastructure.Connectors.Http;

/// <summary>An IPv4 or IPv6 CIDR range, such as <c>10.0.0.0/8</c> or <c>fc00::/7</c>.</summary>
internal sealed class AddressRange
{
    private readonly byte[] _prefix;
    private readonly int _bits;

    private AddressRange(IPAddress prefix, int bits)
    {
        _prefix = prefix.GetAddressBytes();
        _bits = bits;
    }

    public AddressFamily Family => _prefix.Length == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public static AddressRange Parse(string cidr) =>
        TryParse(cidr, out var range) ? range : throw new FormatException($"'{cidr}' is not a CIDR range.");

    public static bool TryParse(string text, out AddressRange range)
    {
        range = null!;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var maxBits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var bits = maxBits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits) || bits > maxBits))
        {
            return false;
        }

        range = new AddressRange(address, bits);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (bytes.Length != _prefix.Length)
        {
            return false;
        }

        var whole = _bits / 8;
        for (var i = 0; i < whole; i++)
        {
            if (bytes[i] != _prefix[i])
            {
                return false;
            }
        }

        var rest = _bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[whole] & mask) == (_prefix[whole] & mask);
    }
}
