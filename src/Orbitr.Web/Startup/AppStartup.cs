using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Files;
using Orbitr.Web.Library;
using Orbitr.Web.Offline;
using Orbitr.Web.Patterns;
using Orbitr.Contracts;
using Orbitr.Web.Api;
using Orbitr.Web.Settings;
using Orbitr.Web.Sharing;
using Orbitr.Web.Shortcuts;
using Orbitr.Web.State;

namespace Orbitr.Web.Startup;

/// <summary>Start-up after the first render, and the wiring between services that lasts the page: the saved
/// pattern is restored, every edit is saved and re-mixed, share links switch with the pattern, generated sounds
/// join the library, and the keyboard and file drops are listened to. Every handler is unsubscribed on dispose.</summary>
public sealed class AppStartup(SettingsEffects settings, PatternState store, AudioEngine audio, PatternLibrary library,
    PatternSharing sharing, GenerationList generations, SampleShelf shelf, SoundStore sounds, OfflineUploads uploads,
    KeyboardShortcuts keys, PatternImports imports, Notices notices, Songs.SongLibrary songs) : IAsyncDisposable
{
    private bool _wired;

    public bool Ready { get; private set; }

    /// <summary>The saved pattern (or the share link's) is in place: until then the page shows the rings loading, never
    /// an editable default that the saved one would replace (issue 22).</summary>
    public bool Restored { get; private set; }

    /// <summary><see cref="Ready"/> changed.</summary>
    public event Action? ReadyChanged;

    public async Task InitializeAsync()
    {
        if (_wired) return;
        _wired = true;
        await settings.StartAsync();
        await library.RestoreAsync();
        await songs.RestoreAsync();
        sharing.SwitchPattern(library.CurrentId);
        library.Changed += OnLibraryChanged;
        // A share link opens as a new pattern of the library; your own stays there as it was.
        if (await sharing.OpenLinkAsync() is { } shared) await library.AddAsync(shared);
        Restored = true;
        ReadyChanged?.Invoke();
        generations.Succeeded += OnGenerated;
        sounds.UsedSources = UsedSourcesAsync;
        uploads.MoveReferences = MoveReferencesAsync;
        store.PatternChanged += OnPatternChanged;
        await keys.StartAsync();
        await imports.StartAsync();
        Ready = true;
        ReadyChanged?.Invoke();
        notices.Run(shelf.RefreshAsync, ErrorCodes.Offline, "The sample library could not be loaded");
        await audio.PrepareSamplesAsync(store.Pattern);
        await uploads.StartAsync();
    }

    private void OnLibraryChanged() => sharing.SwitchPattern(library.CurrentId);

    private void OnGenerated(GenerationDto job)
    {
        if (job.SampleId is { } id)
            notices.Run(() => shelf.AddGeneratedAsync(id, job.Seed), ErrorCodes.Offline, $"\"{job.Prompt}\" could not be added to the sample library");
    }

    private void OnPatternChanged(Pattern pattern)
    {
        library.OnPatternChanged(pattern);
        notices.Run(() => audio.PushMixAsync(pattern), ErrorCodes.AudioContextFailed, "The edit could not reach the audio");
    }

    /// <summary>Every sample source the browser's patterns use: their sounds are the last to leave the offline store.</summary>
    private Task<IReadOnlySet<string>> UsedSourcesAsync() => Task.FromResult(library.SampleSources());

    /// <summary>An offline upload reached the server: every local pattern refers to the server's sample from now on.</summary>
    private Task MoveReferencesAsync(string local, SampleRef server) =>
        library.RewriteAsync(p => PatternEditor.ReplaceSampleSource(p, local, server));

    public ValueTask DisposeAsync()
    {
        if (_wired)
        {
            library.Changed -= OnLibraryChanged;
            generations.Succeeded -= OnGenerated;
            store.PatternChanged -= OnPatternChanged;
        }
        return ValueTask.CompletedTask;
    }
}
