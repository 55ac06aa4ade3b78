using Microsoft.AspNetCore.Mvc;

namespace OrchRunService.Api.OpenApi;

/// <summary>
/// An error answer an action can give, as <see cref="ProblemDetails"/>; the OpenAPI document lists
/// it as <c>application/problem+json</c> (<see cref="ProblemResponsesProcessor"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class ProblemResponseAttribute : ProducesResponseTypeAttribute
{
    public ProblemResponseAttribute(int statusCode)
        : base(typeof(ProblemDetails), statusCode)
    {
    }
}
