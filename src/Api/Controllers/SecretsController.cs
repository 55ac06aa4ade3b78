using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrchRunService.Api.Contracts;
using OrchRunService.Api.OpenApi;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Secrets;
using OrchRunService.Application.Secrets.Commands.DeleteSecret;
using OrchRunService.Application.Secrets.Commands.PutSecret;
using OrchRunService.Application.Secrets.Queries.GetSecret;
using OrchRunService.Application.Secrets.Queries.ListSecrets;

namespace OrchRunService.Api.Controllers;

/// <summary>
/// Secrets of one namespace, which step parameters refer to as <c>{"$secret": "name"}</c>.
/// Write-only: no endpoint ever returns a value.
/// </summary>
[Route("datasourcesvc/api/v1/secret")]
public sealed class SecretsController : ApiControllerBase
{
    private readonly ISender _sender;

    public SecretsController(ISender sender)
    {
        _sender = sender;
    }

    /// <summary>A page of the namespace's secrets by name: names and times, never values.</summary>
    [HttpGet(Name = "Secret_List")]
    [ProducesResponseType<PageDto<SecretDto>>(StatusCodes.Status200OK)]
    public async Task<PageDto<SecretDto>> List(
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromQuery(Name = "_pageSize")] int? pageSize,
        [FromQuery(Name = "_offset")] int? offset,
        CancellationToken cancellationToken) =>
        await _sender.Send(new ListSecretsQuery(nsfilter, pageSize, offset), cancellationToken);

    /// <summary>One secret's name and times; never its value.</summary>
    [HttpGet("{name}", Name = "Secret_Get")]
    [ProducesResponseType<SecretDto>(StatusCodes.Status200OK)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<SecretDto> Get(string name, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken) =>
        await _sender.Send(new GetSecretQuery(nsfilter, name), cancellationToken);

    /// <summary>Create the secret (201) or replace its value (200); the answer never holds the value.</summary>
    [HttpPut("{name}", Name = "Secret_Put")]
    [Consumes("application/json")]
    [ProducesResponseType<SecretDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<SecretDto>(StatusCodes.Status201Created)]
    [ProblemResponse(StatusCodes.Status409Conflict)]
    [ProblemResponse(StatusCodes.Status413PayloadTooLarge)]
    [ProblemResponse(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<IActionResult> Put(
        string name,
        [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter,
        [FromBody] PutSecretRequest request,
        CancellationToken cancellationToken)
    {
        var result = await _sender.Send(new PutSecretCommand(nsfilter, name, request.Value), cancellationToken);
        return result.Created
            ? StatusCode(StatusCodes.Status201Created, result.Secret)
            : Ok(result.Secret);
    }

    /// <summary>Delete a secret; steps that refer to it fail from then on.</summary>
    [HttpDelete("{name}", Name = "Secret_Delete")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProblemResponse(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Delete(string name, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter, CancellationToken cancellationToken)
    {
        await _sender.Send(new DeleteSecretCommand(nsfilter, name), cancellationToken);
        return NoContent();
    }
}
