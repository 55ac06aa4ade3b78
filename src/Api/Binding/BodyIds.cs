using OrchRunService.Application.Common.Exceptions;

namespace OrchRunService.Api.Binding;

/// <summary>
/// Parses the ids of a request body at the edge, as <see cref="IdModelBinder"/> does for the path:
/// handlers get typed ids, and every malformed one is reported, under its wire name, in one 400.
/// An absent or empty id stays null for the validators to judge.
/// </summary>
internal sealed class BodyIds
{
    private readonly Dictionary<string, string[]> _errors = [];

    public Guid? Parse(string? text, string fieldName)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        _errors[fieldName] = [$"{fieldName} must be a GUID."];
        return null;
    }

    /// <summary><paramref name="command"/>, built from the parsed ids, unless one of them was malformed.</summary>
    /// <exception cref="RequestValidationException">An id did not parse.</exception>
    public T Checked<T>(T command) => _errors.Count == 0 ? command : throw new RequestValidationException(_errors);
}
