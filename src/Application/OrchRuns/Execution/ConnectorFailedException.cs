namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>A connector's way to fail its step with a message meant for the user.</summary>
public sealed class ConnectorFailedException : Exception
{
    public ConnectorFailedException(string message)
        : base(message)
    {
    }

    public ConnectorFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
