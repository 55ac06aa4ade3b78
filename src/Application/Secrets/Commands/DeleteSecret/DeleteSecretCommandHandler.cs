using Mediator;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Application.Secrets.Commands.DeleteSecret;

public sealed class DeleteSecretCommandHandler : ICommandHandler<DeleteSecretCommand>
{
    private readonly ISecretRepository _secrets;

    public DeleteSecretCommandHandler(ISecretRepository secrets)
    {
        _secrets = secrets;
    }

    public async ValueTask<Unit> Handle(DeleteSecretCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var secret = await _secrets.FindAsync(command.Namespace, command.Name, cancellationToken)
            ?? throw new NotFoundException("Secret", command.Name);
        _secrets.Remove(secret);
        await _secrets.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
