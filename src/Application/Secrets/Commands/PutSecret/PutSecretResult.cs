namespace OrchRunService.Application.Secrets.Commands.PutSecret;

/// <summary>The secret as stored, and whether the PUT created it (201) or replaced its value (200).</summary>
public sealed record PutSecretResult(SecretDto Secret, bool Created);
