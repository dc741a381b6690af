using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Orbitr.Core.Errors;

namespace Orbitr.Server.Apis;

/// <summary>RFC 7807 problem details carrying the design's integer error <c>code</c> (ARCHITECTURE §6, the table in
/// <see cref="ErrorCode"/>). Every problem the server answers is built here; problems made by the framework
/// (status-code pages, the exception handler, Kestrel's bad requests reaching the app) get a code by their status in
/// <see cref="Customize"/>.</summary>
public static class Problems
{
    public const string CodeKey = "code";

    public static IResult Of(int status, int code, string title, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { [CodeKey] = code };
        if (extra is not null) foreach (var (k, v) in extra) extensions[k] = v;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    /// <summary>404, code 4004.</summary>
    public static IResult NotFound(string what) => Of(StatusCodes.Status404NotFound, ErrorCode.NotFound, "Not found", $"{what} does not exist");

    /// <summary>400 with the errors by field (a validation problem), code 3005 unless another is given.</summary>
    public static IResult Validation(IDictionary<string, string[]> errors, int code = ErrorCode.InvalidRequest) =>
        TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.SelectMany(e => e.Value)),
            extensions: new Dictionary<string, object?> { [CodeKey] = code });

    /// <summary>400, code 3005: a request that cannot be read (not JSON, not valid Unicode…).</summary>
    public static IResult InvalidRequest(string title, string detail) => Of(StatusCodes.Status400BadRequest, ErrorCode.InvalidRequest, title, detail);

    /// <summary>401, code 4006.</summary>
    public static IResult Unauthenticated(string title, string detail) => Of(StatusCodes.Status401Unauthorized, ErrorCode.Unauthenticated, title, detail);

    /// <summary>403, code 4005.</summary>
    public static IResult Forbidden(string title, string detail) => Of(StatusCodes.Status403Forbidden, ErrorCode.Forbidden, title, detail);

    /// <summary>413, code 3004: the body is over the endpoint's limit.</summary>
    public static IResult TooLarge(string title, long maxBytes) =>
        Of(StatusCodes.Status413PayloadTooLarge, ErrorCode.RequestTooLarge, title, $"at most {maxBytes:N0} bytes");

    /// <summary>415, code 3006.</summary>
    public static IResult UnsupportedMediaType(string title, string detail) =>
        Of(StatusCodes.Status415UnsupportedMediaType, ErrorCode.UnsupportedMediaType, title, detail);

    /// <summary>413, code 4001.</summary>
    public static IResult StorageFull(string detail) => Of(StatusCodes.Status413PayloadTooLarge, ErrorCode.StorageQuotaExceeded, "Storage quota exceeded", detail);

    /// <summary>400, code 3005, for a JSON body that is not valid UTF-8 or escapes a lone surrogate.</summary>
    public const string NotUnicode = "the body is not valid Unicode text (invalid UTF-8, or a lone surrogate escape such as \\ud800)";

    /// <summary>The answer to a body that could not be read in time or at all (<see cref="BadHttpRequestException"/>
    /// while reading): 408 code 3002 when it came too slowly, 413 code 3004 when too large, else 400 code 3005. Kestrel's
    /// own words are not repeated.</summary>
    public static IResult OfBadRequest(BadHttpRequestException e) => e.StatusCode switch
    {
        StatusCodes.Status408RequestTimeout => Of(e.StatusCode, ErrorCode.NetworkTimeout, "Request too slow", "the request body arrived too slowly; send it again"),
        StatusCodes.Status413PayloadTooLarge => Of(e.StatusCode, ErrorCode.RequestTooLarge, "Request too large", "the request body is larger than this endpoint takes"),
        _ => Of(StatusCodes.Status400BadRequest, ErrorCode.InvalidRequest, "Unreadable request", "the request body could not be read (malformed or cut short)"),
    };

    /// <summary>The status the exception handler answers an unhandled exception with: a bad request's own status
    /// (408 for a body sent too slowly, 413, 400), 500 for everything else.</summary>
    public static int StatusOf(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>For AddProblemDetails: a problem without a code gets the code of its status; a 5xx (an exception, or
    /// any other) never shows exception text, only what happened and a trace id to quote.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        if (context.Exception is BadHttpRequestException bad && status < 500)
        {
            problem.Title = bad.StatusCode == StatusCodes.Status408RequestTimeout ? "Request too slow" : "Unreadable request";
            problem.Detail = bad.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => "the request body arrived too slowly; send it again",
                StatusCodes.Status413PayloadTooLarge => "the request body is larger than this endpoint takes",
                _ => "the request could not be read (malformed or cut short)",
            };
        }
        if (status >= 500 && problem.Extensions.ContainsKey(CodeKey) is false)
        {
            problem.Title = "Server error";
            problem.Detail = "something went wrong on the server; nothing about the request was wrong. Try again; if it keeps failing, quote the traceId";
            problem.Extensions.Remove("exception");
            problem.Extensions.Remove("errors");
        }
        else if (problem.Detail is null && status == StatusCodes.Status404NotFound)
            problem.Detail = $"no such resource: {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}";
        else if (problem.Detail is null && status == StatusCodes.Status405MethodNotAllowed)
            problem.Detail = $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}";
        problem.Extensions.TryAdd(CodeKey, ErrorCode.ForStatus(status));
        if (context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity is { } activity) problem.Extensions.TryAdd("traceId", activity.Id);
        else problem.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
    }
}
