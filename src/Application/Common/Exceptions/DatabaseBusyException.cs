namespace OrchRunService.Application.Common.Exceptions;

/// <summary>The database is there but busy or locked past its timeout: the caller may retry shortly.</summary>
public sealed class DatabaseBusyException : Exception
{
    public DatabaseBusyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
