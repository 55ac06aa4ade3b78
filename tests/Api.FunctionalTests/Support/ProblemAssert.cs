using System.Net;
using System.Text.Json.Nodes;

namespace OrchRunService.Api.FunctionalTests.Support;

/// <summary>Checks of the RFC 9457 problem answers every error must be.</summary>
public static class ProblemAssert
{
    public const string TypePrefix = "urn:orchrun:problem:";

    /// <summary>
    /// The answer has <paramref name="status"/>, is application/problem+json with one of our
    /// type URNs (<paramref name="type"/> when given), carries the status and a detail, and
    /// shows no stack trace. Returns the problem object.
    /// </summary>
    public static async Task<JsonObject> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        var problem = IsWellFormedProblem(response, text);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem["status"]?.GetValue<int>(), Is.EqualTo((int)status), text);
            if (type is not null)
            {
                Assert.That(problem["type"]?.GetValue<string>(), Is.EqualTo(TypePrefix + type), text);
            }
        }

        return problem;
    }

    /// <summary>A validation problem naming <paramref name="field"/> among its <c>errors</c>.</summary>
    public static async Task<JsonObject> IsValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        var errors = problem["errors"] as JsonObject;
        Assert.That(errors, Is.Not.Null, problem.ToJsonString());
        Assert.That(errors!.Select(e => e.Key), Does.Contain(field), problem.ToJsonString());
        Assert.That(errors[field]!.AsArray(), Is.Not.Empty);
        return problem;
    }

    /// <summary>Whatever the status, an error answer is one of our problem documents.</summary>
    public static JsonObject IsWellFormedProblem(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        JsonObject? problem = null;
        Assert.That(() => problem = JsonNode.Parse(body)!.AsObject(), Throws.Nothing, body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem!["type"]?.GetValue<string>(), Does.StartWith(TypePrefix), body);
            Assert.That(problem["detail"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, body);
            Assert.That(body, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace or exception names");
        }

        return problem!;
    }
}
