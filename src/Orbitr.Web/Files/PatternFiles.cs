using Microsoft.JSInterop;
using Orbitr.Core.Json;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;
using Orbitr.Web.Audio;

namespace Orbitr.Web.Files;

/// <summary>Exports (WAV rendered in the browser, MIDI, pattern JSON) as downloads, and reads imported pattern files.</summary>
public sealed class PatternFiles(IJSRuntime js, AudioEngine audio) : IAsyncDisposable
{
    public const long MaxImportBytes = 1_000_000;
    private IJSObjectReference? _module;

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/files.js");

    public static string FileStem(Pattern pattern)
    {
        var chars = pattern.Name.Trim().Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        var stem = new string(chars).Trim('-');
        return stem.Length == 0 ? "pattern" : stem;
    }

    public async Task ExportJsonAsync(Pattern pattern) =>
        await DownloadAsync($"{FileStem(pattern)}.orbitr.json", "application/json", PatternJson.WriteUtf8(pattern));

    public async Task ExportMidiAsync(Pattern pattern, int cycles) =>
        await DownloadAsync($"{FileStem(pattern)}.mid", "audio/midi", MidiExport.ToBytes(pattern, cycles));

    /// <summary>One MIDI file per ring (issue 25), in one zip: <c>NN Ring (sound).mid</c>, as <c>orbitr midi --per-ring</c>.</summary>
    public async Task ExportMidiPerRingAsync(Pattern pattern, int cycles) =>
        await DownloadAsync($"{FileStem(pattern)} rings.zip", "application/zip", MidiRingsZip(pattern, cycles));

    public static byte[] MidiRingsZip(Pattern pattern, int cycles)
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var r = 0; r < pattern.Tracks.Count; r++)
            {
                // A fixed time, so the same pattern makes the same zip.
                var entry = zip.CreateEntry(MidiExport.RingFileName(pattern, r), System.IO.Compression.CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var s = entry.Open();
                s.Write(MidiExport.RingToBytes(pattern, cycles, r));
            }
        }
        return ms.ToArray();
    }

    /// <summary>A song with its patterns inside (issue 25), as <c>orbitr render</c> and the import read it.</summary>
    public async Task ExportSongAsync(Core.Songs.Song bundle) =>
        await DownloadAsync($"{Stem(bundle.Name, "song")}.orbitr.song", "application/json", System.Text.Encoding.UTF8.GetBytes(Core.Songs.SongJson.Write(bundle)));

    /// <summary>A song as one MIDI file: tempo events where sections change, each ring a track (as <c>orbitr midi song.json</c>).</summary>
    public async Task ExportSongMidiAsync(IReadOnlyList<Core.Songs.SongPart> parts, string name)
    {
        using var ms = new MemoryStream();
        MidiExport.WriteSong(parts, name, ms);
        await DownloadAsync($"{Stem(name, "song")}.mid", "audio/midi", ms.ToArray());
    }

    /// <summary>Renders and downloads a song's WAV in the browser; false when it was cancelled.</summary>
    public async Task<bool> ExportSongWavAsync(IReadOnlyList<Core.Songs.SongPart> parts, string name, WavSampleFormat format) =>
        !(await audio.ExportSongWavAsync(parts, format, $"{Stem(name, "song")}.wav")).Cancelled;

    private static string Stem(string name, string fallback)
    {
        var stem = new string(name.Trim().Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()).Trim('-');
        return stem.Length == 0 ? fallback : stem;
    }

    /// <summary>Renders and downloads the WAV in the browser (audio.js); false when it was cancelled.</summary>
    public async Task<bool> ExportWavAsync(Pattern pattern, int cycles, WavSampleFormat format, bool loop = false) =>
        !(await audio.ExportWavAsync(pattern, cycles, format, loop ? LoopFileName(pattern) : $"{FileStem(pattern)}.wav", loop)).Cancelled;

    /// <summary>One WAV per ring (and the reverb's return), zipped, named as <c>orbitr render --stems</c> names them.</summary>
    public async Task<bool> ExportStemsAsync(Pattern pattern, int cycles, WavSampleFormat format) =>
        !(await audio.ExportStemsAsync(pattern, cycles, format, $"{FileStem(pattern)} stems.zip",
            Core.Stems.StemNames.Of([new Core.Songs.SongPart(pattern, cycles)], out _))).Cancelled;

    /// <summary>A loop's file carries its tempo, as sample packs name loops: <c>Name 120bpm loop.wav</c>.</summary>
    public static string LoopFileName(Pattern pattern) =>
        $"{FileStem(pattern)} {pattern.Bpm.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}bpm loop.wav";

    /// <summary>Reads an imported file: the pattern, or every reason it is not one (by JSON path).</summary>
    public static PatternReadResult Read(byte[] bytes)
    {
        if (bytes.Length > MaxImportBytes)
            return new PatternReadResult(null, [new Core.Validation.PatternError("", $"the file is {bytes.Length:N0} bytes; a pattern is at most {MaxImportBytes:N0}")]);
        return PatternJson.Read(bytes);
    }

    public async Task<IJSObjectReference> ListenForDropsAsync<T>(DotNetObjectReference<T> target) where T : class =>
        await (await ModuleAsync()).InvokeAsync<IJSObjectReference>("listenForDrops", target);

    private async Task DownloadAsync(string name, string mime, byte[] bytes) =>
        await (await ModuleAsync()).InvokeVoidAsync("download", name, mime, bytes);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }
}
