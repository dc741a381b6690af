using Orbitr.Web.Audio;
using Orbitr.Web.Offline;
using Orbitr.Web.State;

namespace Orbitr.Web.Settings;

/// <summary>Makes the saved settings take effect: the metronome level and latency of the audio, the space for offline
/// sounds (a lower one trims them at once) and whether sounds added offline are uploaded.</summary>
public sealed class SettingsEffects(SettingsStore settings, AudioEngine audio, SoundStore sounds, OfflineUploads uploads, Notices notices)
    : IDisposable
{
    private bool _started;

    /// <summary>Loads the settings, applies them and applies every later change.</summary>
    public async Task StartAsync()
    {
        await settings.LoadAsync();
        Apply(trim: false);
        if (_started) return;
        _started = true;
        settings.Changed += OnChanged;
    }

    private void OnChanged() => Apply(trim: true);

    private void Apply(bool trim)
    {
        var current = settings.Current;
        audio.MetronomeLevel = current.MetronomeLevel;
        audio.LatencyHint = SettingsJson.Name(current.LatencyHint);
        var budget = current.SoundStorageMegabytes * 1024L * 1024;
        var lower = budget < sounds.BudgetBytes;
        sounds.BudgetBytes = budget;
        if (lower && trim) notices.Run(sounds.TrimAsync, ErrorCodes.StorageQuotaExceeded, "The offline sounds could not be trimmed to the new space");
        uploads.Enabled = current.UploadOfflineSounds;
    }

    public void Dispose()
    {
        if (_started) settings.Changed -= OnChanged;
        _started = false;
    }
}
