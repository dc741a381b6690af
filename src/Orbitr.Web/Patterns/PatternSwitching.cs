using Orbitr.Web.Audio;
using Orbitr.Web.Settings;

namespace Orbitr.Web.Patterns;

/// <summary>Choosing a pattern of the library (issue 25): while playing it is queued and starts exactly where the
/// current cycle ends (the library's button says so until then); stopped, or with the setting off, it opens at once.
/// Choosing the one being edited while another is queued cancels the queue.</summary>
public sealed class PatternSwitching : IDisposable
{
    private readonly PatternLibrary _library;
    private readonly AudioEngine _engine;
    private readonly SettingsStore _settings;

    public PatternSwitching(PatternLibrary library, AudioEngine engine, SettingsStore settings)
    {
        (_library, _engine, _settings) = (library, engine, settings);
        _engine.QueuedPatternStarted += OnStarted;
        _engine.StateChanged += OnStateChanged;
    }

    /// <summary>The library entry queued to start next, null when none is.</summary>
    public string? QueuedId { get; private set; }

    public event Action? Changed;

    public Task OpenAsync(string id)
    {
        if (_engine.Playing && _settings.Current.QueuePatterns)
        {
            if (id == _library.CurrentId)
            {
                Cancel();
                return Task.CompletedTask;
            }
            if (_library.Entries.FirstOrDefault(e => e.Id == id) is { } entry)
            {
                QueuedId = id;
                _engine.QueuePattern(entry.Pattern);
                Changed?.Invoke();
                return Task.CompletedTask;
            }
        }
        Cancel();
        return _library.OpenAsync(id);
    }

    private void Cancel()
    {
        if (QueuedId is null) return;
        QueuedId = null;
        _engine.Unqueue();
        Changed?.Invoke();
    }

    private async void OnStarted(Core.Model.Pattern pattern)
    {
        if (QueuedId is not { } id) return;
        QueuedId = null;
        Changed?.Invoke();
        await _library.OpenAsync(id);
    }

    private void OnStateChanged()
    {
        if (_engine.Playing || QueuedId is null) return;
        QueuedId = null; // stopped: nothing is queued any more
        Changed?.Invoke();
    }

    public void Dispose()
    {
        _engine.QueuedPatternStarted -= OnStarted;
        _engine.StateChanged -= OnStateChanged;
    }
}
