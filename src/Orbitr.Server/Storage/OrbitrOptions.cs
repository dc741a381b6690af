namespace Orbitr.Server.Storage;

/// <summary>The "Orbitr" configuration section (ARCHITECTURE §5). Defaults need nothing installed: SQLite and files
/// under <see cref="DataPath"/>.</summary>
public sealed class OrbitrOptions
{
    public const string Section = "Orbitr";

    public string DataPath { get; set; } = "./data";
    public DatabaseOptions Database { get; set; } = new();

    public sealed class DatabaseOptions
    {
        public string Provider { get; set; } = "sqlite";
        public string? ConnectionString { get; set; }
    }

    public string FullDataPath => Path.GetFullPath(DataPath);
}
