namespace Orbitr.Server.Apis;

/// <summary>RFC 7807 problem details carrying the design's integer error <c>code</c> (ARCHITECTURE §6).</summary>
public static class Problems
{
    public static IResult Of(int status, int code, string title, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra is not null) foreach (var (k, v) in extra) extensions[k] = v;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    public static IResult NotFound(string what) => TypedResults.Problem(detail: $"{what} does not exist", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
