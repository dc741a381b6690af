using Orbitr.Contracts;
using Orbitr.Core.Model;
using Orbitr.Dsp.Analysis;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.Audio;
using Orbitr.Web.Audio.Samples;
using Orbitr.Web.Offline;
using Orbitr.Web.Api;
using Orbitr.Web.State;

namespace Orbitr.Web.Library;

/// <summary>One sound in the library panel: a built-in kit sound or a sample from the server, with its waveform as an
/// SVG path (made once: the panel re-renders on every edit). <see cref="Engine"/> is the engine that generated a server
/// sample ("synth", "musicgen"), null for kit sounds and uploads. <see cref="Pending"/>: an upload made offline that
/// waits for the server. <see cref="Seed"/>: the seed a generation used, when this page saw the generation (the server's
/// sample list does not carry it).</summary>
public sealed record ShelfItem(SampleRef Source, string Name, string Kind, double DurationSeconds, float[] Peaks, string? Prompt, string? Engine = null,
    bool Pending = false, uint? Seed = null)
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
/// samples, searchable; upload and delete go to the server. Offline, it lists the sounds kept in this browser and
/// keeps new uploads locally until the server is back (<see cref="OfflineUploads"/>).</summary>
public sealed class SampleShelf(OrbitrApiClient api, Notices notices, SoundStore sounds, SampleResolver library, OfflineUploads uploads)
    : IDisposable
{
    public const long MaxUploadBytes = 10 * 1024 * 1024;
    private static IReadOnlyList<ShelfItem>? s_kit;
    private List<ShelfItem> _server = [];
    private List<ShelfItem> _local = [];
    private readonly Dictionary<string, uint> _seeds = [];
    private bool _listening;
    // _server holds the sounds kept in this browser ("kept offline"), not the server's list: the first answer from
    // the server again (coming online, a generation or upload reaching it) replaces them.
    private bool _keptOnly;

    public string Search { get; private set; } = "";
    public bool Loading { get; private set; }
    public bool Uploading { get; private set; }
    public ApiProblem? Problem { get; private set; }

    public event Action? Changed;

    /// <summary>The kit's waveforms are computed once, from the same synthesis the player uses.</summary>
    public static IReadOnlyList<ShelfItem> Kit => s_kit ??= KitSynthesizer.Names.Select(n =>
    {
        var audio = SampleResolver.Kit(n);
        return new ShelfItem(SampleRef.Builtin(n), n, "kit", audio.Duration, WaveformPeaks.Compute(audio, 48), null);
    }).ToList();

    public IEnumerable<ShelfItem> Items
    {
        get
        {
            var term = Search.Trim();
            var kit = term.Length == 0 ? Kit : Kit.Where(k => k.Name.Contains(term, StringComparison.OrdinalIgnoreCase));
            var local = term.Length == 0 ? _local : _local.Where(k => k.Name.Contains(term, StringComparison.OrdinalIgnoreCase));
            return local.Concat(_server).Concat(kit);
        }
    }

    public async Task RefreshAsync()
    {
        if (!_listening)
        {
            _listening = true;
            uploads.Uploaded += OnUploaded;
            uploads.Online += OnOnline;
        }
        Loading = true;
        Changed?.Invoke();
        var result = await api.SamplesAsync(Search);
        Problem = result.Problem;
        if (result.Value is { } page)
        {
            _server = page.Items.Select(ToItem).ToList();
            _keptOnly = false;
        }
        else if (result.Problem is { Status: 0 } && (_server.Count == 0 || _keptOnly))
        {
            _server = await KeptAsync();
            _keptOnly = true;
        }
        _local = await LocalAsync();
        Loading = false;
        Changed?.Invoke();
    }

    /// <summary>Offline: the server's sounds this browser kept (what local patterns used), so they can still be placed.</summary>
    private async Task<List<ShelfItem>> KeptAsync()
    {
        var items = new List<ShelfItem>();
        foreach (var kept in (await sounds.ListAsync()).Where(s => s.Source.StartsWith("generated:", StringComparison.Ordinal)).OrderByDescending(s => s.Stored).Take(100))
        {
            if (SampleRef.TryParse(kept.Source, kept.Name) is not { } source) continue;
            var audio = (await library.ResolveAsync(source)).Audio;
            items.Add(new(source, kept.Name ?? source.Value, "kept offline", audio?.Duration ?? 0, audio is null ? [] : WaveformPeaks.Compute(audio, 48), null));
        }
        return items;
    }

    /// <summary>Uploads made offline (waiting, or refused by the server and kept here only).</summary>
    private async Task<List<ShelfItem>> LocalAsync()
    {
        var items = new List<ShelfItem>();
        foreach (var kept in (await sounds.ListAsync()).Where(s => s.Source.StartsWith("local:", StringComparison.Ordinal)).OrderByDescending(s => s.Stored))
        {
            if (SampleRef.TryParse(kept.Source) is not { } parsed) continue;
            var name = Path.GetFileNameWithoutExtension(kept.Name ?? parsed.Value);
            var audio = (await library.ResolveAsync(parsed)).Audio;
            items.Add(new(parsed with { Name = name }, name, "upload", audio?.Duration ?? 0, audio is null ? [] : WaveformPeaks.Compute(audio, 48), null,
                Pending: kept.Pending));
        }
        return items;
    }

    private void OnUploaded(string local, SampleRef server) =>
        notices.Run(() => OnUploadedAsync(local, server), ErrorCodes.Offline, "A sound uploaded from offline could not be listed");

    /// <summary>The browser is online again: a list of kept sounds gives way to the server's.</summary>
    private void OnOnline()
    {
        if (_keptOnly) notices.Run(RefreshAsync, ErrorCodes.Offline, "The sample library could not be loaded");
    }

    public void Dispose()
    {
        if (_listening)
        {
            uploads.Uploaded -= OnUploaded;
            uploads.Online -= OnOnline;
        }
        _listening = false;
    }

    private async Task OnUploadedAsync(string local, SampleRef server)
    {
        _local.RemoveAll(i => i.Source.Source == local);
        await AddGeneratedAsync(server.Value);
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
        if (result.Problem is { Status: 0 })
        {
            // The server cannot be reached: keep the file here, usable now, uploaded when the server is back.
            var (sample, info) = await uploads.KeepAsync(fileName, bytes);
            Uploading = false;
            if (sample is not null && info is not null)
            {
                _local.Insert(0, new ShelfItem(sample, sample.Name!, "upload", info.DurationSeconds, info.Peaks, null, Pending: true));
                notices.Info($"\"{fileName}\" is kept in this browser for now", "You can use it at once; it is uploaded to your library when the server is back.");
            }
            Changed?.Invoke();
            return;
        }
        Uploading = false;
        if (result.Problem is { } p)
            notices.Error(p.Code == 0 ? ErrorCodes.AudioDecodeFailed : p.Code, $"\"{fileName}\" was not added to the library", p.Detail);
        else if (result.Value is { } sample)
        {
            if (_keptOnly)
            {
                await RefreshAsync(); // the server is back: its whole list, the new sound in it
                return;
            }
            _server.RemoveAll(s => s.Source.Value == sample.Id);
            _server.Insert(0, ToItem(sample));
        }
        Changed?.Invoke();
    }

    public async Task DeleteAsync(ShelfItem item)
    {
        if (item.Source.Kind == SampleSourceKind.Local)
        {
            await sounds.RemoveAsync(item.Source.Source); // never uploaded: it only lived here
            _local.Remove(item);
            Changed?.Invoke();
            return;
        }
        if (item.Source.Kind != SampleSourceKind.Generated) return;
        var result = await api.DeleteSampleAsync(item.Source.Value);
        if (result.Problem is { Status: not 404 } p) notices.Error(p.Code, $"\"{item.Name}\" was not deleted", p.Detail);
        else _server.Remove(item);
        Changed?.Invoke();
    }

    /// <summary>A finished generation (with the seed it used, when known): fetch its sample and put it first.</summary>
    public async Task AddGeneratedAsync(string sampleId, uint? seed = null)
    {
        if (seed is { } known) _seeds[sampleId] = known;
        var result = await api.SampleAsync(sampleId);
        if (result.Value is not { } sample) return;
        if (_keptOnly)
        {
            await RefreshAsync(); // the server is back: its whole list replaces the kept sounds
            return;
        }
        _server.RemoveAll(s => s.Source.Value == sample.Id);
        _server.Insert(0, ToItem(sample));
        Changed?.Invoke();
    }

    private ShelfItem ToItem(SampleDto s)
    {
        var upload = s.Engine == "upload";
        return new(SampleRef.Generated(s.Id, s.Name), s.Name, upload ? "upload" : "generated", s.DurationSeconds, s.Peaks, s.Prompt,
            upload || string.IsNullOrEmpty(s.Engine) ? null : s.Engine, Seed: !upload && _seeds.TryGetValue(s.Id, out var seed) ? seed : null);
    }
}
