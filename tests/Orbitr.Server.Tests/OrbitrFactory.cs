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
        // ./test.sh runs this project a second time as a real deployment: PostgreSQL (a database of this factory's own),
        // set by ORBITR_TEST_DATABASE=postgres with the server in ORBITR_TEST_POSTGRES.
        if (Environment.GetEnvironmentVariable("ORBITR_TEST_DATABASE") == "postgres" && !settings.ContainsKey("Orbitr:Database:Provider"))
        {
            // Factories given the same data folder are the same server restarted: they share the database too.
            postgresDatabase ??= TestPostgres.Databases.GetOrAdd(DataPath, _ => TestPostgres.CreateDatabase());
            builder.UseSetting("Orbitr:Database:Provider", "postgres");
            builder.UseSetting("Orbitr:Database:ConnectionString", postgresDatabase);
        }
        // … and its blobs in S3 (a bucket of its own on the s3rver in ORBITR_TEST_S3) with ORBITR_TEST_BLOBS=s3.
        if (Environment.GetEnvironmentVariable("ORBITR_TEST_BLOBS") == "s3" && !settings.ContainsKey("Orbitr:Blobs:Provider"))
            foreach (var (key, value) in TestS3.Settings("orbitr-t-" + Guid.NewGuid().ToString("N")[..12])) builder.UseSetting(key, value);
        // … and its cache, rate-limit windows and pub/sub in Redis (ORBITR_TEST_REDIS) with ORBITR_TEST_CACHE=redis,
        // under a key prefix of its own so servers of different tests never share counters.
        if (Environment.GetEnvironmentVariable("ORBITR_TEST_CACHE") == "redis" && !settings.ContainsKey("Orbitr:Cache:Provider"))
        {
            builder.UseSetting("Orbitr:Cache:Provider", "redis");
            builder.UseSetting("Orbitr:Cache:Redis", TestRedis.Server);
            builder.UseSetting("Orbitr:Cache:KeyPrefix", $"t{Guid.NewGuid():N}:");
        }
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
    private string? postgresDatabase;

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
        if (postgresDatabase is not null && ownsData)
        {
            TestPostgres.Databases.TryRemove(DataPath, out _);
            TestPostgres.DropDatabase(postgresDatabase);
        }
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

/// <summary>Databases of their own on the PostgreSQL server ./test.sh starts (ORBITR_TEST_POSTGRES).</summary>
public static class TestPostgres
{
    /// <summary>Data folder → its database, for servers restarted on the same data.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Databases = new();

    public static string Server => Environment.GetEnvironmentVariable("ORBITR_TEST_POSTGRES") is { Length: > 0 } s ? s
        : throw new InvalidOperationException("ORBITR_TEST_POSTGRES is not set: run the tests through ./test.sh, which starts PostgreSQL");

    /// <summary>A connection string to a new, empty database.</summary>
    public static string CreateDatabase()
    {
        var name = "orbitr_t_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new Npgsql.NpgsqlConnection(Server);
        connection.Open();
        using (var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection)) command.ExecuteNonQuery();
        return new Npgsql.NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    public static void DropDatabase(string connectionString)
    {
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        Npgsql.NpgsqlConnection.ClearAllPools();
        using var connection = new Npgsql.NpgsqlConnection(Server);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>The Redis ./test.sh starts (ORBITR_TEST_REDIS, host:port).</summary>
public static class TestRedis
{
    public static string Server => Environment.GetEnvironmentVariable("ORBITR_TEST_REDIS") is { Length: > 0 } s ? s
        : throw new InvalidOperationException("ORBITR_TEST_REDIS is not set: run the tests through ./test.sh, which starts Redis");
}
