using System.Net;
using System.Text.Json;
using Orbitr.Contracts;

namespace Orbitr.Cli.Io;

/// <summary>The one owner token the CLI acts with on Orbitr servers (<c>--server</c>), kept in
/// <c>$XDG_CONFIG_HOME/orbitr/owner</c> (or <c>~/.config/orbitr/owner</c>), readable by the user only, and created
/// on first use with <c>POST /api/owners</c>.</summary>
public static class OwnerTokenFile
{
    public static string Path
    {
        get
        {
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(config))
                config = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(config, "orbitr", "owner");
        }
    }

    public static string? Read() => File.Exists(Path) ? File.ReadAllText(Path).Trim() is { Length: > 0 } t ? t : null : null;

    /// <summary>The saved token, or a new owner's (saved) when there is none or <paramref name="renew"/> is set
    /// (the server did not know the saved one).</summary>
    public static string Get(HttpClient http, bool renew = false)
    {
        if (!renew && Read() is { } saved) return saved;
        using var response = http.PostAsync("/api/owners", null).GetAwaiter().GetResult();
        if (response.StatusCode != HttpStatusCode.Created)
            throw new CliException($"the server would not create an owner for this CLI (HTTP {(int)response.StatusCode})", ExitCodes.Generation);
        var created = JsonSerializer.Deserialize(response.Content.ReadAsStream(), OrbitrJsonContext.Default.CreatedOwner);
        var token = created?.Token is { Length: > 0 } t ? t : throw new CliException("the server answered POST /api/owners without a token", ExitCodes.Generation);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        AtomicFile.Write(Path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(token)));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return token;
    }
}
