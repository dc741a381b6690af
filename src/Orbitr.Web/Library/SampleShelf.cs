using Orbitr.Core.Model;
using Orbitr.Dsp.Analysis;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.Audio;
using Orbitr.Web.Server;
using Orbitr.Web.State;

namespace Orbitr.Web.Library;

/// <summary>One sound in the library panel: a built-in kit sound or a sample from the server, with its waveform as an
/// SVG path (made once: the panel re-renders on every edit). <see cref="Engine"/> is the engine that generated a server
/// sample ("synth", "musicgen"), null for kit sounds and uploads.</summary>
public sealed record ShelfItem(SampleRef Source, string Name, string Kind, double DurationSeconds, float[] Peaks, string? Prompt, string? Engine = null)
{
    public string WavePath { get; } = Waveform(Peaks);

    /// <summary>Peaks as vertical bars around the middle line of a 100 × 20 box.</summary>
    public static string Waveform(float[] peaks)
    {
        if (peaks.Length == 0) return "M0 10 H100";
        var step = Math.Max(1, peaks.Length / 50);
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < peaks.Length; i += step)
        {
            var x = 100.0 * i / peaks.Length;
            var h = Math.Clamp(peaks[i], 0, 1) * 9.5 + 0.25;
            sb.Append(FormattableString.Invariant($"M{x:0.##} {10 - h:0.##}V{10 + h:0.##}"));
        }
        return sb.ToString();
    }
}

/// <summary>The sample library as the panel shows it: the built-in kit plus the server's generated and uploaded
/// samples, searchable; upload and delete go to the server.</summary>
public sealed class SampleShelf(OrbitrApi api, Notices notices)
{
    public const long MaxUploadBytes = 10 * 1024 * 1024;
    private static IReadOnlyList<ShelfItem>? s_kit;
    private List<ShelfItem> _server = [];

    public string Search { get; private set; } = "";
    public bool Loading { get; private set; }
    public bool Uploading { get; private set; }
    public ApiProblem? Problem { get; private set; }

    public event Action? Changed;

    /// <summary>The kit's waveforms are computed once, from the same synthesis the player uses.</summary>
    public static IReadOnlyList<ShelfItem> Kit => s_kit ??= KitSynthesizer.Names.Select(n =>
    {
        var audio = SampleLibrary.Kit(n);
        return new ShelfItem(SampleRef.Builtin(n), n, "kit", audio.Duration, WaveformPeaks.Compute(audio, 48), null);
    }).ToList();

    public IEnumerable<ShelfItem> Items
    {
        get
        {
            var term = Search.Trim();
            var kit = term.Length == 0 ? Kit : Kit.Where(k => k.Name.Contains(term, StringComparison.OrdinalIgnoreCase));
            return _server.Concat(kit);
        }
    }

    public async Task RefreshAsync()
    {
        Loading = true;
        Changed?.Invoke();
        var result = await api.SamplesAsync(Search);
        Loading = false;
        Problem = result.Problem;
        if (result.Value is { } page) _server = page.Items.Select(ToItem).ToList();
        Changed?.Invoke();
    }

    public Task SearchAsync(string text)
    {
        Search = text ?? "";
        return RefreshAsync();
    }

    public async Task UploadAsync(string fileName, byte[] bytes)
    {
        Uploading = true;
        Changed?.Invoke();
        var result = await api.UploadAsync(fileName, bytes);
        Uploading = false;
        if (result.Problem is { } p)
            notices.Error(p.Code == 0 ? ErrorCodes.AudioDecodeFailed : p.Code, $"\"{fileName}\" was not added to the library", p.Detail);
        else if (result.Value is { } sample)
        {
            _server.RemoveAll(s => s.Source.Value == sample.Id);
            _server.Insert(0, ToItem(sample));
        }
        Changed?.Invoke();
    }

    public async Task DeleteAsync(ShelfItem item)
    {
        if (item.Source.Kind != SampleSourceKind.Generated) return;
        var result = await api.DeleteSampleAsync(item.Source.Value);
        if (result.Problem is { Status: not 404 } p) notices.Error(p.Code, $"\"{item.Name}\" was not deleted", p.Detail);
        else _server.Remove(item);
        Changed?.Invoke();
    }

    /// <summary>A finished generation: fetch its sample and put it first.</summary>
    public async Task AddGeneratedAsync(string sampleId)
    {
        var result = await api.SampleAsync(sampleId);
        if (result.Value is not { } sample) return;
        _server.RemoveAll(s => s.Source.Value == sample.Id);
        _server.Insert(0, ToItem(sample));
        Changed?.Invoke();
    }

    private static ShelfItem ToItem(LibrarySample s)
    {
        var upload = s.Engine == "upload";
        return new(SampleRef.Generated(s.Id, s.Name), s.Name, upload ? "upload" : "generated", s.DurationSeconds, s.Peaks, s.Prompt,
            upload || string.IsNullOrEmpty(s.Engine) ? null : s.Engine);
    }
}
