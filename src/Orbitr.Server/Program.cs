// Until the web app lands (issue 5) the server says so plainly instead of failing silently.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
    builder.WebHost.UseUrls("http://localhost:5080");
var app = builder.Build();
app.MapGet("/", () => Results.Content("""
    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Orbitr</title></head>
    <body style="font-family:system-ui;background:#111;color:#eee;padding:2rem">
    <h1>Orbitr</h1><p>The web sequencer arrives with the web app. Meanwhile the <code>orbitr</code> CLI
    validates, renders and exports patterns: <code>dotnet run --project src/Orbitr.Cli -- --help</code>.</p>
    </body></html>
    """, "text/html"));
app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
app.Run();

public partial class Program;
