using Microsoft.AspNetCore.Connections;

namespace OrchRunService.Api.CommandLine;

/// <summary>Kestrel's "address already in use" told in one line with the way out, not as a stack trace.</summary>
public static class PortInUse
{
    public static bool Explains(Exception exception) =>
        exception is IOException { InnerException: AddressInUseException } or AddressInUseException;

    public static string Message(Exception exception) =>
        $"OrchRun could not listen: {exception.Message} Stop the other process or pass another address, e.g. --urls http://localhost:5090";
}
