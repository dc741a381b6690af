using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orbitr.Server.Generation;

namespace Orbitr.Server.Tests;

/// <summary>The real server (SQLite file, Quartz queue in SQLite, blob folder) in a temporary data folder. Settings
/// override configuration; an engine, when given, replaces the synth (to make jobs slow or hold them).</summary>
public class ConfiguredOrbitrFactory : WebApplicationFactory<Program>
{
    private readonly bool ownsData;
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly IGenerationEngine? engine;

    public ConfiguredOrbitrFactory(IReadOnlyDictionary<string, string?>? settings, IGenerationEngine? engine = null, string? dataPath = null)
    {
        ownsData = dataPath is null;
        DataPath = dataPath ?? Directory.CreateTempSubdirectory("orbitr-api-").FullName;
        this.settings = settings ?? new Dictionary<string, string?>();
        this.engine = engine;
    }

    public string DataPath { get; }

    /// <summary>Everything the server logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orbitr:DataPath", DataPath);
        // Other test classes share the loopback client address; give them room unless a test asks for the limit.
        builder.UseSetting("Orbitr:Generation:RateLimitPermits", "100000");
        builder.UseSetting("Orbitr:Limits:OwnersPerHour", "100000");
        builder.UseSetting("Orbitr:Limits:UploadsPerMinute", "100000");
        builder.UseSetting("Orbitr:Limits:PatternSavesPerMinute", "100000");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace));
        if (engine is not null)
            builder.ConfigureTestServices(s =>
            {
                s.RemoveAll<IGenerationEngine>();
                s.AddSingleton(engine);
            });
    }

    private bool anonymous;

    /// <summary>Every client acts for an owner of its own (created for it), as the web app does.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (anonymous) return;
        using var raw = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", NewOwnerToken(raw));
    }

    /// <summary>A client that carries no owner token.</summary>
    public HttpClient CreateAnonymousClient()
    {
        anonymous = true;
        try
        {
            return CreateClient();
        }
        finally
        {
            anonymous = false;
        }
    }

    /// <summary>A fresh owner's token.</summary>
    public static string NewOwnerToken(HttpClient client)
    {
        using var response = client.PostAsync("/api/owners", null).GetAwaiter().GetResult();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
            throw new InvalidOperationException($"POST /api/owners answered {(int)response.StatusCode}");
        using var body = System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStream());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (ownsData)
            try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The default server, shared by a test class (xUnit fixtures need a single constructor).</summary>
public sealed class OrbitrFactory() : ConfiguredOrbitrFactory(null);

/// <summary>Collects every log line (with its exception) the server writes.</summary>
public sealed class CapturedLogs : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
