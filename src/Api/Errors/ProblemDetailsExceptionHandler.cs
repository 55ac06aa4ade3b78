using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Domain.Common;
using OrchRunService.Domain.OrchRuns;
using OrchRunService.Domain.Schedules;

namespace OrchRunService.Api.Errors;

/// <summary>The one place where exceptions become problem+json answers; nothing else reaches the client.</summary>
internal sealed partial class ProblemDetailsExceptionHandler : IExceptionHandler
{
    /// <summary>Seconds a client should wait before retrying a full queue or a busy database.</summary>
    public const int RetryAfterSeconds = 5;

    private readonly IProblemDetailsService _problems;
    private readonly ILogger<ProblemDetailsExceptionHandler> _logger;

    public ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    {
        _problems = problems;
        _logger = logger;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            RequestValidationException e => new ValidationProblemDetails(e.Errors.ToDictionary(k => k.Key, k => k.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Type = ProblemTypes.Validation,
                Title = "One or more request fields are invalid.",
                Detail = string.Join(" ", e.Errors.SelectMany(k => k.Value)),
            },
            DomainValidationException e => new ValidationProblemDetails(new Dictionary<string, string[]> { [WireFieldNames.Of(e.Field)] = [e.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Type = ProblemTypes.Validation,
                Title = "One or more request fields are invalid.",
                Detail = e.Message,
            },
            IdempotencyKeyReusedException e => Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, e.Message),
            ForbiddenAccessException e => Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, e.Message),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, e.Message),
            InvalidStateTransitionException e => Problem(StatusCodes.Status409Conflict, ProblemTypes.Conflict, e.Message),
            ConcurrencyConflictException e => Problem(StatusCodes.Status409Conflict, ProblemTypes.Conflict, e.Message + " Read it again and retry."),
            QueuedRunLimitExceededException e => Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.QueueLimit, e.Message),
            FollowLimitExceededException e => Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.FollowLimit, e.Message),
            ScheduleLimitExceededException e => Problem(StatusCodes.Status409Conflict, ProblemTypes.ScheduleLimit, e.Message),
            BadHttpRequestException e => Problem(e.StatusCode, ProblemTypes.ForStatus(e.StatusCode), e.Message),
            DecoderFallbackException => Problem(
                StatusCodes.Status400BadRequest,
                ProblemTypes.MalformedRequest,
                "The request body is not valid text in the charset its Content-Type names."),
            _ when IsDatabaseBusy(exception) => Problem(
                StatusCodes.Status503ServiceUnavailable,
                ProblemTypes.Unavailable,
                "The database is busy; retry shortly."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => Problem(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "An unexpected error occurred; it has been logged."),
        };

        if (problem is null)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        if (problem.Status >= 500)
        {
            LogServerError(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (problem.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (await _problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        }))
        {
            return true;
        }

        // The client accepts no JSON (a log follower asks for application/x-ndjson or
        // text/event-stream): the problem is still the answer, not an empty status.
        await new ProblemActionResult(problem).ExecuteResultAsync(new ActionContext { HttpContext = httpContext });
        return true;
    }

    private static ProblemDetails Problem(int status, string type, string detail) => new()
    {
        Status = status,
        Type = type,
        Title = ProblemTypes.TitleFor(status),
        Detail = detail,
    };

    private static bool IsDatabaseBusy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseBusyException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogServerError(Exception exception, string method, string path);
}
