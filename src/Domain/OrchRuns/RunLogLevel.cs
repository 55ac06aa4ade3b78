namespace OrchRunService.Domain.OrchRuns;

public enum RunLogLevel
{
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}
