namespace Orbitr.Server.Hosting;

/// <summary>Security headers on every response. The Content-Security-Policy allows no inline script: Blazor needs
/// only 'wasm-unsafe-eval' to compile WebAssembly; inline styles stay allowed because Blazor and the SVG rings set
/// style attributes.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // Set when the response starts, so handlers that reset headers (static assets do) cannot drop them.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context.Response.Headers);
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>The headers, in order (also written into Kestrel's own error answers, <see cref="KestrelErrorHeaders"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All { get; } =
    [
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "no-referrer"),
        new("X-Frame-Options", "DENY"),
        new("Cross-Origin-Opener-Policy", "same-origin"),
        new("Permissions-Policy", "camera=(), geolocation=(), microphone=()"),
    ];

    private static void Apply(IHeaderDictionary headers)
    {
        foreach (var (name, value) in All) headers[name] = value;
    }
}
