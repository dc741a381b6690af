using Microsoft.AspNetCore.HttpOverrides;
using Orbitr.Server.Apis;
using Orbitr.Server.Caching;
using Orbitr.Server.Hosting;
using Orbitr.Server.Owners;
using Orbitr.Server.Generation;
using Orbitr.Server.Patterns;
using Orbitr.Server.Rendering;
using Orbitr.Server.Storage;
using Orbitr.Server.Telemetry;

// `Orbitr.Server migrate` applies the database migrations and exits (deployments run it once before the processes).
var migrateOnly = args.Contains("migrate");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "migrate").ToArray());
// http://localhost:5080 unless --urls or ASPNETCORE_URLS says otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
    builder.WebHost.UseUrls("http://localhost:5080");

// Kestrel's own answers (400 malformed request, 414, 431…) carry the security headers too.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.UseKestrelErrorHeaders());
// Serve the web app's files from the build output too (dotnet run); published output has them in wwwroot.
builder.WebHost.UseStaticWebAssets();
// Every problem carries a code (ARCHITECTURE §6): those made by the framework get the code of their status, and a
// 500 never shows exception text.
// The API's records (Orbitr.Contracts) are written with their source-generated context; anything else falls back to reflection.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Orbitr.Contracts.OrbitrJsonContext.Default));
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
// A write that fails because the disk is full answers 507 with code 4001, whichever endpoint it was.
builder.Services.AddExceptionHandler<StorageFullExceptionHandler>();
builder.Services.AddSingleton<DiskReserve>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOrbitrStorage(builder.Configuration);
builder.Services.AddOrbitrCache(builder.Configuration);
builder.Services.AddOrbitrGeneration(builder.Configuration);
builder.Services.AddOrbitrOwners(builder.Configuration);
builder.Services.AddOrbitrTelemetry(builder.Configuration);
builder.Services.AddScoped<PatternStore>();
builder.Services.AddScoped<PatternRenderer>();
builder.Services.AddSingleton(builder.Configuration.GetSection(RenderLimits.Section).Get<RenderLimits>() ?? new RenderLimits());
builder.Services.AddSingleton<RenderGate>();
builder.Services.AddSingleton(sp => new RenderFiles(builder.Configuration.GetSection(OrbitrOptions.Section).Get<OrbitrOptions>() ?? new OrbitrOptions(),
    sp.GetRequiredService<ILogger<RenderFiles>>()));

// Behind a reverse proxy every client has the proxy's address: trust X-Forwarded-For only when told to, and then only
// from the proxies configured (Orbitr:KnownProxies, Orbitr:KnownNetworks; loopback when neither is set), so a client
// that reaches the server directly cannot pick its own address and dodge the per-client limits.
var trustForwarded = builder.Configuration.GetValue<bool>("Orbitr:TrustForwardedHeaders");
if (trustForwarded)
{
    var proxies = TrustedProxies.From(builder.Configuration);
    builder.Services.Configure<ForwardedHeadersOptions>(o => proxies.Apply(o));
}

var app = builder.Build();
app.UseKestrelErrorHeaders();
if (trustForwarded) app.UseForwardedHeaders();
await app.MigrateOrbitrDatabaseAsync();
app.Services.GetRequiredService<DiskReserve>().TryRestore();
if (migrateOnly)
{
    app.Logger.LogInformation("database migrated; exiting (migrate)");
    return;
}
// A body sent too slowly (or cut short) that nothing caught is the client's problem (408/400), not a 500.
app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = Problems.StatusOf });
app.UseStatusCodePages();
app.UseSecurityHeaders();
// A worker runs generation jobs and answers only /api/health; the API and the app are served by api/all processes.
var roles = app.Services.GetRequiredService<OrbitrRoles>();
if (roles.ServesApi) app.UseAppShellFallback();
app.UseRouting();
app.UseRateLimiter();
// Owner tokens (the "Owner" scheme): endpoints that act for an owner answer 401 code 4006 without a known one.
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthApi();
if (roles.ServesApi)
{
    app.MapStaticAssets();   // the web app: fingerprinted, precompressed, cached for a year when fingerprinted
    app.MapSamplesApi();
    app.MapGenerationsApi();
    app.MapKitsApi();
    app.MapPatternsApi();
    app.MapSongsApi();
    app.MapOwnersApi();
}
app.Logger.LogInformation("Orbitr role: {Role}", roles.Name);
await app.RunAsync();

public partial class Program;
