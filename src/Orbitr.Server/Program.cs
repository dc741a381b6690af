using Microsoft.AspNetCore.HttpOverrides;
using Orbitr.Server.Apis;
using Orbitr.Server.Hosting;
using Orbitr.Server.Owners;
using Orbitr.Server.Generation;
using Orbitr.Server.Patterns;
using Orbitr.Server.Storage;

var builder = WebApplication.CreateBuilder(args);
// http://localhost:5080 unless --urls or ASPNETCORE_URLS says otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
    builder.WebHost.UseUrls("http://localhost:5080");

// Serve the web app's files from the build output too (dotnet run); published output has them in wwwroot.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOrbitrStorage(builder.Configuration);
builder.Services.AddOrbitrGeneration(builder.Configuration);
builder.Services.AddOrbitrOwners(builder.Configuration);
builder.Services.AddScoped<PatternStore>();
builder.Services.AddScoped<PatternRenderer>();

// Behind a reverse proxy every client has the proxy's address: trust X-Forwarded-For only when told to, so the
// per-client rate limit and quota see real clients.
var trustForwarded = builder.Configuration.GetValue<bool>("Orbitr:TrustForwardedHeaders");
if (trustForwarded)
    builder.Services.Configure<ForwardedHeadersOptions>(o =>
    {
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        o.KnownIPNetworks.Clear();
        o.KnownProxies.Clear();
    });

var app = builder.Build();
if (trustForwarded) app.UseForwardedHeaders();
await app.MigrateOrbitrDatabaseAsync();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseAppShellFallback();
app.UseRouting();
app.UseRateLimiter();
app.MapStaticAssets();   // the web app: fingerprinted, precompressed, cached for a year when fingerprinted
app.MapHealthApi();
app.MapSamplesApi();
app.MapGenerationsApi();
app.MapPatternsApi();
app.MapOwnersApi();
await app.RunAsync();

public partial class Program;
