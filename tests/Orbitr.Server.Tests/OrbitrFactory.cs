using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orbitr:DataPath", DataPath);
        // Other test classes share the loopback client address; give them room unless a test asks for the limit.
        builder.UseSetting("Orbitr:Generation:RateLimitPermits", "100000");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (engine is not null)
            builder.ConfigureTestServices(s =>
            {
                s.RemoveAll<IGenerationEngine>();
                s.AddSingleton(engine);
            });
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
