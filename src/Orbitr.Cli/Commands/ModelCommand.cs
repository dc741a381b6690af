using System.CommandLine;
using System.Globalization;
using Orbitr.MusicGen.Hub;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr model pull [--repo Xenova/musicgen-small] [--revision main] [--quantized] [--endpoint URL] [--dir DIR]</c>:
/// downloads MusicGen's ONNX export from Hugging Face (HF_ENDPOINT and HF_TOKEN are honoured), resuming an interrupted
/// download, and prints the server setting that points at it.</summary>
public static class ModelCommand
{
    /// <summary>Under the server's default data path (./data), where it looks without any setting.</summary>
    public const string DefaultDirectory = "data/models/musicgen-small";

    public static Command Create(CliContext context) => Create(context.Output, environment: null, context.Cancel);

    /// <param name="environment">Reads HF_ENDPOINT and HF_TOKEN (tests); null: the process environment.</param>
    /// <param name="cancel">SIGINT/SIGTERM: the download stops, its .part stays for the next run.</param>
    internal static Command Create(TextWriter output, Func<string, string?>? environment, CancellationToken cancel = default)
    {
        var repo = new Option<string>("--repo") { Description = "Hugging Face repo (owner/name) with MusicGen's ONNX export", DefaultValueFactory = _ => ModelPullOptions.DefaultRepo };
        repo.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>();
            if (!ModelDownloader.IsValidRepo(v)) r.AddError($"--repo must be owner/name such as {ModelPullOptions.DefaultRepo}, not {v}");
        });
        var revision = new Option<string>("--revision") { Description = "Branch, tag or commit", DefaultValueFactory = _ => ModelPullOptions.DefaultRevision };
        revision.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(v) || v.Any(char.IsControl)) r.AddError($"--revision must be a branch, tag or commit such as main, not \"{v}\"");
        });
        var quantized = new Option<bool>("--quantized") { Description = "Download the 8-bit quantized graphs (*_quantized.onnx): smaller and faster, slightly lower quality" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Hugging Face-compatible endpoint (default: HF_ENDPOINT, else https://huggingface.co)" };
        endpoint.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string?>();
            if (v is not null && !(Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Host.Length > 0))
                r.AddError($"--endpoint must be an http(s) address such as https://huggingface.co, not {v}");
        });
        var dir = new Option<string>("--dir") { Description = $"Folder to download into (default {DefaultDirectory}, where a server started here looks)", DefaultValueFactory = _ => DefaultDirectory };
        dir.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>())) r.AddError("--dir must not be empty");
        });

        var pull = new Command("pull", "Download MusicGen's ONNX files from Hugging Face (an interrupted download resumes; HF_TOKEN for gated repos)")
        {
            repo, revision, quantized, endpoint, dir,
        };
        pull.SetAction(parse => Pull(output, parse.InvocationConfiguration.Error, environment, cancel, new ModelPullOptions
        {
            Repo = parse.GetValue(repo)!,
            Revision = parse.GetValue(revision)!,
            Quantized = parse.GetValue(quantized),
            Endpoint = parse.GetValue(endpoint) is { } url ? new Uri(url) : null,
            Directory = parse.GetValue(dir)!,
        }));
        return new Command("model", "Download the MusicGen model") { pull };
    }

    private static int Pull(TextWriter output, TextWriter error, Func<string, string?>? environment, CancellationToken cancel, ModelPullOptions options)
    {
        using var downloader = new ModelDownloader(environment: environment);
        var printer = new ProgressPrinter(output, live: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        ModelPullResult result;
        try
        {
            var from = downloader.ResolveEndpoint(options);
            output.WriteLine($"pulling {options.Repo}@{options.Revision}{(options.Quantized ? " (quantized)" : "")} from {from} into {Path.GetFullPath(options.Directory)}");
            result = downloader.PullAsync(options, printer, cancel).GetAwaiter().GetResult();
        }
        catch (ModelDownloadException e)
        {
            printer.EndLine();
            throw new CliException(e.Message, e.Kind switch
            {
                ModelDownloadExitKind.Usage => ExitCodes.Usage,
                ModelDownloadExitKind.Io => ExitCodes.Io,
                _ => ExitCodes.Generation,
            });
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The CLI prints "orbitr: cancelled" and exits 130/143; the hint is for the download only.
            printer.EndLine();
            error.WriteLine("orbitr: run the same command again to resume the download");
            throw;
        }

        var downloaded = result.Files.Count(f => f.Outcome == ModelFileOutcome.Downloaded);
        var upToDate = result.Files.Count(f => f.Outcome == ModelFileOutcome.UpToDate);
        var bytes = result.Files.Sum(f => f.Bytes);
        output.WriteLine($"model ready in {result.Directory}: {downloaded} downloaded, {upToDate} up to date, {Size(bytes)} in all");
        if (string.Equals(result.Directory, Path.GetFullPath(DefaultDirectory), StringComparison.Ordinal))
            output.WriteLine("a server started in this folder (default data path ./data) finds it without any setting; from elsewhere, set:");
        else
            output.WriteLine("point the server at it with this setting (environment variable):");
        output.WriteLine($"Orbitr__MusicGen__ModelPath={result.Directory}");
        // The server takes the quantized graphs by itself when they are the only ones; beside full-precision ones it needs telling.
        if (options.Quantized && ModelDownloader.Files(quantized: false).Any(f => f.Path.EndsWith(".onnx", StringComparison.Ordinal)
                && File.Exists(Path.Combine(result.Directory, f.Path.Replace('/', Path.DirectorySeparatorChar)))))
        {
            output.WriteLine("the folder also has the full-precision graphs; to run the quantized ones, also set:");
            output.WriteLine("Orbitr__MusicGen__Quantized=true");
        }
        return ExitCodes.Ok;
    }

    private static string Size(long? bytes) => bytes switch
    {
        null => "? MB",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes.Value} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes.Value / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes.Value / 1048576.0:0.0} MB"),
    };

    /// <summary>On a terminal one line per file, redrawn with '\r'; otherwise plain lines (start and end of each file).</summary>
    private sealed class ProgressPrinter(TextWriter output, bool live) : IProgress<DownloadProgress>
    {
        private const int BarWidth = 24;
        private string? _started;
        private int _open; // length of the live line being redrawn, 0 when none
        private long _lastDraw;

        public void Report(DownloadProgress value)
        {
            switch (value.State)
            {
                case DownloadState.Downloading when live:
                    if (value.File == _started && Environment.TickCount64 - _lastDraw < 100 && value.BytesDone != value.BytesTotal) return;
                    _started = value.File;
                    Draw(Bar(value));
                    break;
                case DownloadState.Downloading:
                    // Plain lines: a start line only where the wait is noticeable (a large file, or a resumed one).
                    if (value.File == _started) return;
                    _started = value.File;
                    if (value.BytesDone == 0 && value.BytesTotal is < 1 << 20) return;
                    output.WriteLine(value.BytesDone > 0
                        ? $"  {value.File}: resuming at {Size(value.BytesDone)} of {Size(value.BytesTotal)}"
                        : $"  {value.File}: downloading {Size(value.BytesTotal)}");
                    break;
                case DownloadState.Verifying when live:
                    Draw($"  {value.File}  {Size(value.BytesDone)}  checking...");
                    break;
                case DownloadState.Retrying:
                    Finish($"  {value.File}: interrupted at {Size(value.BytesDone)}, retrying");
                    _started = null;
                    break;
                case DownloadState.Done:
                    Finish($"  {value.File}  {Size(value.BytesDone)}  done");
                    break;
                case DownloadState.UpToDate:
                    Finish($"  {value.File}  {Size(value.BytesDone)}  up to date");
                    break;
                case DownloadState.NotInRepo:
                    Finish($"  {value.File}  not in the repo (optional), skipped");
                    break;
            }
        }

        /// <summary>Ends a live line left open (before an error message).</summary>
        public void EndLine()
        {
            if (_open == 0) return;
            output.WriteLine();
            _open = 0;
        }

        private void Draw(string line)
        {
            output.Write("\r" + line.PadRight(_open));
            output.Flush();
            _open = Math.Max(line.Length, 1);
            _lastDraw = Environment.TickCount64;
        }

        private void Finish(string line)
        {
            if (_open > 0) output.Write("\r" + line.PadRight(_open) + Environment.NewLine);
            else output.WriteLine(line);
            _open = 0;
        }

        private static string Bar(DownloadProgress p)
        {
            if (p.BytesTotal is not { } total || total <= 0) return $"  {p.File}  {Size(p.BytesDone)}";
            var fraction = Math.Clamp((double)p.BytesDone / total, 0, 1);
            var filled = (int)(fraction * BarWidth);
            // Both amounts in the total's unit, so the numbers line up while they grow.
            var (scale, unit, format) = total switch { < 1024 => (1.0, "B", "0"), < 1 << 20 => (1024.0, "KB", "0.0"), _ => (1048576.0, "MB", "0.0") };
            var done = (p.BytesDone / scale).ToString(format, CultureInfo.InvariantCulture);
            var all = (total / scale).ToString(format, CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture,
                $"  {p.File}  [{new string('#', filled)}{new string('-', BarWidth - filled)}]  {done} / {all} {unit}  {fraction * 100:0}%");
        }
    }
}
