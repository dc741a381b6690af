namespace Orbitr.Server.Hosting;

/// <summary>Serves the app's page (index.html, a static asset with its ETag and compression) for page routes such
/// as "/" or "/anything": every path without a file extension outside /api and /_framework.</summary>
public static class AppShellFallback
{
    public static IApplicationBuilder UseAppShellFallback(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsPageRoute(path))
            request.Path = "/index.html";
        return next(context);
    });

    public static bool IsPageRoute(string path) =>
        !path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && path != "/api" &&
        !path.StartsWith("/_", StringComparison.Ordinal) &&
        !Path.HasExtension(path.AsSpan(path.LastIndexOf('/') + 1));
}
