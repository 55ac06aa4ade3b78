using System.Net;
using System.Net.Sockets;

namespace OrchRunService.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1 for services under test.</summary>
public static class LoopbackPorts
{
    public static int Free() => Free(1)[0];

    /// <summary>All held until every one is found, so none repeats.</summary>
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
