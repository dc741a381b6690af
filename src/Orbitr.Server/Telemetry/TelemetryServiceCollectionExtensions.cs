using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orbitr.Server.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointKey = "Orbitr:Telemetry:Otlp:Endpoint";
    public const string ConsoleKey = "Orbitr:Telemetry:Console";
    public const string RolesKey = "Orbitr:Roles";
    public const string ServiceName = "orbitr";

    /// <summary>Orbitr's instruments (<see cref="OrbitrTelemetry"/>), and OpenTelemetry traces and metrics (ASP.NET Core,
    /// HttpClient and Orbitr's own) when an exporter is asked for: OTLP to <c>Orbitr:Telemetry:Otlp:Endpoint</c> and/or
    /// the console with <c>Orbitr:Telemetry:Console=true</c>. With neither, nothing is collected, printed or sent (the
    /// instruments still work for any listener in the process).</summary>
    public static IServiceCollection AddOrbitrTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<OrbitrTelemetry>();
        // Made at start-up, so the queue length is reported before the first generation.
        services.AddHostedService<TelemetryStarter>();

        var endpoint = configuration[OtlpEndpointKey];
        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out otlp))
            throw new InvalidOperationException($"{OtlpEndpointKey} must be an absolute URL (e.g. http://localhost:4317), not \"{endpoint}\"");
        var console = configuration.GetValue<bool>(ConsoleKey);
        if (otlp is null && !console) return services;

        var roles = configuration[RolesKey];
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(ServiceName, serviceVersion: typeof(OrbitrTelemetry).Assembly.GetName().Version?.ToString())
                .AddAttributes([new("orbitr.roles", string.IsNullOrWhiteSpace(roles) ? "all" : roles.Trim().ToLowerInvariant())]))
            .WithTracing(tracing =>
            {
                tracing.AddSource(OrbitrTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (otlp is not null) tracing.AddOtlpExporter(o => o.Endpoint = SignalEndpoint(otlp, o.Protocol, "v1/traces"));
                if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrbitrTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (otlp is not null) metrics.AddOtlpExporter(o => o.Endpoint = SignalEndpoint(otlp, o.Protocol, "v1/metrics"));
                if (console) metrics.AddConsoleExporter();
            });
        return services;
    }

    /// <summary>gRPC takes the collector's address as it is; OTLP over HTTP (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
    /// needs the signal's path, added when the address has none.</summary>
    private static Uri SignalEndpoint(Uri endpoint, OtlpExportProtocol protocol, string path) =>
        protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, path) : endpoint;
}

/// <summary>Creates <see cref="OrbitrTelemetry"/> (and so its instruments) while the server starts.</summary>
internal sealed class TelemetryStarter : IHostedService
{
    // Being asked for is what creates it.
    public TelemetryStarter(OrbitrTelemetry telemetry) => ArgumentNullException.ThrowIfNull(telemetry);

    public Task StartAsync(CancellationToken cancel) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
}
