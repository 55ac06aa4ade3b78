namespace OrchRunService.Application.OrchRuns.Execution;

/// <summary>The run log as a connector sees it: every line it writes loses the step's secret values first.</summary>
internal sealed class RedactingRunLogWriter : IRunLogWriter
{
    private readonly IRunLogWriter _inner;
    private readonly SecretRedactor _redactor;

    public RedactingRunLogWriter(IRunLogWriter inner, SecretRedactor redactor)
    {
        _inner = inner;
        _redactor = redactor;
    }

    public void Info(string message) => _inner.Info(_redactor.Redact(message));

    public void Warn(string message) => _inner.Warn(_redactor.Redact(message));

    public void Error(string message) => _inner.Error(_redactor.Redact(message));

    public void Debug(string message) => _inner.Debug(_redactor.Redact(message));
}
