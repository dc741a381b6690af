using Microsoft.JSInterop;
using Orbitr.Dsp.Wav;
using Orbitr.Web.Audio;
using Orbitr.Web.Files;
using Orbitr.Web.State;

namespace Orbitr.Web.Exporting;

/// <summary>Exporting the pattern being edited as WAV, MIDI or JSON, one export at a time, with its progress.</summary>
public sealed class PatternExport(PatternState store, AudioEngine audio, PatternFiles files, Notices notices)
{
    public bool Exporting { get; private set; }

    /// <summary>How far the running export is (0–1).</summary>
    public double Progress { get; private set; }

    /// <summary>The WAV export's sample format (16-bit by default, as `orbitr render`).</summary>
    public WavSampleFormat Format { get; set; } = WavSampleFormat.Pcm16;

    /// <summary>Export WAV as a seamless loop (issue 25).</summary>
    public bool Loop { get; set; }

    /// <summary>An export started or ended.</summary>
    public event Action? Changed;

    /// <summary>The export moved on (only the export box shows it: the rest of the page need not re-render).</summary>
    public event Action? ProgressChanged;

    public Task ExportAsync(string format, int cycles) => RunAsync(async () =>
    {
        var p = store.Pattern;
        switch (format)
        {
            case "wav":
                if (!await files.ExportWavAsync(p, cycles, Format, Loop)) notices.Info("Export cancelled");
                break;
            case "stems":
                if (!await files.ExportStemsAsync(p, cycles, Format)) notices.Info("Export cancelled");
                break;
            case "mid": await files.ExportMidiAsync(p, cycles); break;
            case "mid-rings": await files.ExportMidiPerRingAsync(p, cycles); break;
            default: await files.ExportJsonAsync(p); break;
        }
    });

    /// <summary>A song's WAV, rendered in this browser (issue 25), in the export's sample format.</summary>
    public Task ExportSongAsync(IReadOnlyList<Core.Songs.SongPart> parts, string name) => RunAsync(async () =>
    {
        if (!await files.ExportSongWavAsync(parts, name, Format)) notices.Info("Export cancelled");
    });

    private async Task RunAsync(Func<Task> export)
    {
        if (Exporting) return;
        Exporting = true;
        Progress = 0;
        Changed?.Invoke();
        audio.ExportProgress += OnProgress;
        try
        {
            await export();
        }
        catch (Exception e) when (e is JSException or InvalidOperationException or ArgumentException)
        {
            notices.Error(ErrorCodes.AudioDecodeFailed, "The export failed", e.Message);
        }
        finally
        {
            audio.ExportProgress -= OnProgress;
            Exporting = false;
            Changed?.Invoke();
        }
    }

    public async Task CancelAsync()
    {
        try
        {
            await audio.CancelExportAsync();
        }
        catch (JSException e)
        {
            notices.Error(ErrorCodes.AudioDecodeFailed, "The export could not be cancelled", e.Message);
        }
    }

    private void OnProgress(double fraction)
    {
        Progress = fraction;
        ProgressChanged?.Invoke();
    }
}
