namespace Orbitr.Server.Apis;

/// <summary>GET /api/health: liveness (dependencies join as they arrive).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", () => TypedResults.Ok(new HealthReport("ok")));
        return app;
    }

    public sealed record HealthReport(string Status);
}
