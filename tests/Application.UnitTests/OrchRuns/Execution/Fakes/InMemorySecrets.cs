using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.UnitTests.OrchRuns.Execution.Fakes;

/// <summary>Secrets for the worker's tests: a list in memory, "protected" by a reversible prefix.</summary>
internal sealed class InMemorySecrets : ISecretRepository, ISecretProtector
{
    private const string Prefix = "protected:";
    private readonly List<Secret> _secrets = [];

    public static readonly DateTimeOffset Now = new(2023, 9, 8, 7, 0, 0, TimeSpan.Zero);

    public void Put(string @namespace, string name, string value) => _secrets.Add(Secret.Create(@namespace, name, Protect(value), Now));

    public Task<Secret?> FindAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.Find(s => s.Namespace == @namespace && s.Name == name));

    public Task<IReadOnlyList<Secret>> ReadAsync(string @namespace, IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Secret>>(_secrets.Where(s => s.Namespace == @namespace && names.Contains(s.Name)).ToList());

    public Task<PagedResult<Secret>> ListAsync(string @namespace, int offset, int pageSize, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public void Add(Secret secret) => _secrets.Add(secret);

    public void Remove(Secret secret) => _secrets.Remove(secret);

    public Task SaveChangesAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public string Protect(string value) => Prefix + value;

    public string Unprotect(string protectedValue) =>
        protectedValue.StartsWith(Prefix, StringComparison.Ordinal)
            ? protectedValue[Prefix.Length..]
            : throw new System.Security.Cryptography.CryptographicException("The payload was invalid.");
}
