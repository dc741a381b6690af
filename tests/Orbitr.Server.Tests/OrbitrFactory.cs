using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Orbitr.Server.Tests;

/// <summary>The real server (SQLite file and blob folder) in a fresh temporary data folder per factory.</summary>
public sealed class OrbitrFactory : WebApplicationFactory<Program>
{
    public string DataPath { get; } = Directory.CreateTempSubdirectory("orbitr-api-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Orbitr:DataPath", DataPath);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { }
    }
}
