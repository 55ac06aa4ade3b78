using Mediator;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.Secrets.Commands.PutSecret;

public sealed class PutSecretCommandHandler : ICommandHandler<PutSecretCommand, PutSecretResult>
{
    private readonly ISecretRepository _secrets;
    private readonly ISecretProtector _protector;
    private readonly TimeProvider _clock;

    public PutSecretCommandHandler(ISecretRepository secrets, ISecretProtector protector, TimeProvider clock)
    {
        _secrets = secrets;
        _protector = protector;
        _clock = clock;
    }

    public async ValueTask<PutSecretResult> Handle(PutSecretCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var protectedValue = _protector.Protect(command.Value!);
        var now = _clock.GetUtcNow();
        var secret = await _secrets.FindAsync(command.Namespace, command.Name, cancellationToken);
        var created = secret is null;
        if (secret is null)
        {
            secret = Secret.Create(command.Namespace, command.Name, protectedValue, now);
            _secrets.Add(secret);
        }
        else
        {
            secret.Replace(protectedValue, now);
        }

        await _secrets.SaveChangesAsync(cancellationToken);
        return new PutSecretResult(SecretDto.From(secret), created);
    }
}
