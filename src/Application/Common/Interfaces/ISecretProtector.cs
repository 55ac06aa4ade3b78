namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Encrypts secret values for storage and decrypts them for the worker, with keys every node shares.</summary>
public interface ISecretProtector
{
    string Protect(string value);

    string Unprotect(string protectedValue);
}
