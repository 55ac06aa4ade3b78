using System.Globalization;

namespace OrchRunService.Bench.Hangfire;

/// <summary>One configuration of the peer: concurrent enqueuers, the storage's QueuePollInterval and the server's workers.</summary>
internal sealed record PeerConfiguration(int Enqueuers, int PollMs, int Workers)
{
    /// <summary>The configuration's name in figure names and plots: 1e.100ms.8w.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Enqueuers}e.{PollMs}ms.{Workers}w");

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Enqueuers} enqueuer(s), QueuePollInterval {PollMs} ms, {Workers} workers");
}
