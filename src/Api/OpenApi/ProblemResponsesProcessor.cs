using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using OrchRunService.Api.Errors;

namespace OrchRunService.Api.OpenApi;

/// <summary>
/// Makes every operation's responses precise for generated clients: error answers are
/// <c>application/problem+json</c> (what the service sends), each response has a description
/// (a generated client uses it as its exception message), and responses are listed by status code.
/// </summary>
internal sealed class ProblemResponsesProcessor : IOperationProcessor
{
    private const string ProblemJson = "application/problem+json";

    public bool Process(OperationProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var responses = context.OperationDescription.Operation.Responses;
        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in ordered)
        {
            var code = int.Parse(status, CultureInfo.InvariantCulture);
            if (code >= 400 && response.Content.Remove("application/json", out var media))
            {
                response.Content[ProblemJson] = media;
            }

            if (string.IsNullOrEmpty(response.Description))
            {
                response.Description = code >= 400 ? ProblemTypes.TitleFor(code) : ReasonPhrases.GetReasonPhrase(code);
            }

            responses[status] = response;
        }

        return true;
    }
}
