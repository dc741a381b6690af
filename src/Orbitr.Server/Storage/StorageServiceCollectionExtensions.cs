using Microsoft.EntityFrameworkCore;
using Orbitr.Server.Samples;

namespace Orbitr.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Database, blob store and the sample library, as configuration says (ARCHITECTURE §5).</summary>
    public static IServiceCollection AddOrbitrStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OrbitrOptions.Section).Get<OrbitrOptions>() ?? new OrbitrOptions();
        services.AddSingleton(options);
        Directory.CreateDirectory(options.FullDataPath);
        services.AddDbContext<OrbitrDbContext>(db =>
        {
            switch (options.Database.Provider.ToLowerInvariant())
            {
                case "sqlite":
                    db.UseSqlite(options.Database.ConnectionString ?? $"Data Source={Path.Combine(options.FullDataPath, "orbitr.db")}");
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Orbitr:Database:Provider \"{options.Database.Provider}\" is not supported yet (sqlite is; postgres arrives with the deployment work)");
            }
        });
        services.AddOrbitrBlobs(configuration, options);
        services.AddSingleton<SampleAudioIndex>();
        services.AddScoped<SampleLibrary>();
        return services;
    }

    /// <summary>Applies pending migrations at start-up (SQLite file created on first run).</summary>
    public static async Task MigrateOrbitrDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrbitrDbContext>().Database.MigrateAsync();
    }
}
