using Microsoft.AspNetCore.DataProtection;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Infrastructure.Secrets;

/// <summary>
/// Secret values encrypted with ASP.NET Core Data Protection (authenticated encryption, keys
/// rotated every 90 days by default). The key ring lives in the database
/// (<c>DataProtectionKeys</c>) under one application name, so every node decrypts what any
/// node encrypted.
/// </summary>
internal sealed class DataProtectionSecretProtector : ISecretProtector
{
    /// <summary>Keys are shared by every node through the database; the name isolates them from other apps' keys.</summary>
    public const string ApplicationName = "OrchRun";

    /// <summary>Isolates secret values from anything else protected with the same key ring.</summary>
    public const string Purpose = "OrchRun.Secrets.v1";

    private readonly IDataProtector _protector;

    public DataProtectionSecretProtector(IDataProtectionProvider provider)
    {
        _protector = provider.CreateProtector(Purpose);
    }

    public string Protect(string value) => _protector.Protect(value);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
