using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orbitr.Tests.Published;

/// <summary>Copies of the published app for tests that need a server of their own whose files they change (a new
/// version of the app). The copy is hard-linked (instant, no space) and changed files are replaced, not edited.</summary>
internal static partial class PublishedApp
{
    private static readonly SemaphoreSlim s_publish = new(1, 1);

    /// <summary>The published app's folder: ORBITR_E2E_SERVER's (test.sh publishes), else published once here.</summary>
    public static async Task<string> FolderAsync(string repoRoot)
    {
        if (Environment.GetEnvironmentVariable("ORBITR_E2E_SERVER") is { Length: > 0 } dll) return Path.GetDirectoryName(Path.GetFullPath(dll))!;
        await s_publish.WaitAsync();
        try
        {
            var folder = Path.Combine(repoRoot, "TestResults", "e2e-publish");
            if (File.Exists(Path.Combine(folder, "Orbitr.Server.dll"))) return folder;
            var info = new ProcessStartInfo("dotnet", ["publish", Path.Combine(repoRoot, "src", "Orbitr.Server"), "-c", "Release", "-o", folder, "-nologo", "-v", "q"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(info)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed: {output}");
            return folder;
        }
        finally
        {
            s_publish.Release();
        }
    }

    /// <summary>A hard-linked copy of the published app in a new temporary folder; returns its Orbitr.Server.dll.</summary>
    public static async Task<string> CopyAsync(string folder)
    {
        var copy = Directory.CreateTempSubdirectory("orbitr-app-").FullName;
        using var p = Process.Start(new ProcessStartInfo("cp", ["-al", $"{folder}/.", copy]) { RedirectStandardError = true })!;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"cp -al failed: {await p.StandardError.ReadToEndAsync()}");
        return Path.Combine(copy, "Orbitr.Server.dll");
    }

    /// <summary>Makes the copy a new version of the app, as a deployment would: a new asset-manifest version in
    /// service-worker-assets.js and service-worker.js, with the server's asset endpoints updated to match.</summary>
    public static void ReleaseNewVersion(string dll, string version)
    {
        var folder = Path.GetDirectoryName(dll)!;
        var web = Path.Combine(folder, "wwwroot");
        Replace(Path.Combine(web, "service-worker-assets.js"), s => ManifestVersion().Replace(s, $"\"version\": \"{version}\"", 1));
        Replace(Path.Combine(web, "service-worker.js"), s => WorkerVersion().Replace(s, $"/* Manifest version: {version} */", 1));

        // MapStaticAssets serves what its endpoints file says (length, ETag, precompressed copies): describe the new files.
        var endpointsPath = Path.Combine(folder, "Orbitr.Server.staticwebassets.endpoints.json");
        var root = JsonNode.Parse(File.ReadAllText(endpointsPath))!;
        var endpoints = root["Endpoints"]!.AsArray();
        foreach (var e in endpoints.ToList())
        {
            var asset = (string)e!["AssetFile"]!;
            if (!asset.StartsWith("service-worker", StringComparison.Ordinal)) continue;
            if (asset.EndsWith(".br", StringComparison.Ordinal) || asset.EndsWith(".gz", StringComparison.Ordinal))
            {
                endpoints.Remove(e);
                continue;
            }
            var bytes = File.ReadAllBytes(Path.Combine(web, asset));
            var hash = Convert.ToBase64String(SHA256.HashData(bytes));
            foreach (var h in e["ResponseHeaders"]!.AsArray())
            {
                var name = (string)h!["Name"]!;
                if (name == "Content-Length") h["Value"] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                else if (name == "ETag") h["Value"] = $"\"{hash}\"";
            }
            foreach (var p in e["EndpointProperties"]!.AsArray())
                if ((string)p!["Name"]! == "integrity") p["Value"] = $"sha256-{hash}";
        }
        Replace(endpointsPath, _ => root.ToJsonString());
    }

    // Hard links share their content with the original: remove the link, then write a file of our own.
    private static void Replace(string path, Func<string, string> change)
    {
        var text = change(File.ReadAllText(path));
        File.Delete(path);
        File.WriteAllText(path, text);
    }

    [GeneratedRegex("\"version\": \"[^\"]*\"")]
    private static partial Regex ManifestVersion();

    [GeneratedRegex(@"/\* Manifest version: [^*]* \*/")]
    private static partial Regex WorkerVersion();
}
