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
        switch (options.Database.Provider.ToLowerInvariant())
        {
            case "sqlite":
                services.AddDbContext<OrbitrDbContext>(db =>
                    db.UseSqlite(options.Database.ConnectionString ?? $"Data Source={Path.Combine(options.FullDataPath, "orbitr.db")}"));
                break;
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
                    throw new InvalidOperationException("Orbitr:Database:Provider is postgres but Orbitr:Database:ConnectionString is empty " +
                        "(e.g. Host=db;Username=orbitr;Password=…;Database=orbitr)");
                // The service is the common context type; the implementation carries PostgreSQL's migrations.
                services.AddDbContext<OrbitrDbContext, PostgresOrbitrDbContext>(db =>
                    db.UseNpgsql(options.Database.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(3)));
                break;
            default:
                throw new InvalidOperationException($"Orbitr:Database:Provider \"{options.Database.Provider}\" is not supported (sqlite or postgres)");
        }
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
