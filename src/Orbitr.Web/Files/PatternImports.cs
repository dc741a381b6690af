using Microsoft.JSInterop;
using Orbitr.Web.Library;
using Orbitr.Web.Patterns;
using Orbitr.Web.State;

namespace Orbitr.Web.Files;

/// <summary>Files coming in: a pattern file joins the library as a new pattern, an audio file the sample library
/// (the Import button, and files dropped anywhere on the page).</summary>
public sealed class PatternImports(PatternFiles files, PatternLibrary library, SampleShelf shelf, Notices notices, Songs.SongLibrary songs) : IAsyncDisposable
{
    private static readonly string[] AudioExtensions = [".wav", ".wave", ".flac", ".ogg", ".oga", ".mp3"];
    private DotNetObjectReference<PatternImports>? _self;
    private IJSObjectReference? _dropListener;

    /// <summary>Listens for files dropped on the page.</summary>
    public async Task StartAsync()
    {
        if (_dropListener is not null) return;
        _self ??= DotNetObjectReference.Create(this);
        _dropListener = await files.ListenForDropsAsync(_self);
    }

    [JSInvokable]
    public async Task OnFileDropped(string name, byte[] bytes, string? zone)
    {
        var isAudio = AudioExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        if (zone == "library" || isAudio) await shelf.UploadAsync(name, bytes);
        else Import(name, bytes);
    }

    /// <summary>Imports a pattern file as a new pattern of the library (the one being edited stays there); a file that
    /// is not a valid pattern is listed error by error.</summary>
    public bool Import(string name, byte[] bytes)
    {
        if (IsMidi(name, bytes)) return ImportMidi(name, bytes);
        if (IsSong(bytes)) return ImportSong(name, bytes);
        var result = PatternFiles.Read(bytes);
        if (result.Pattern is not { } pattern)
        {
            notices.Error(ErrorCodes.InvalidPattern, $"\"{name}\" is not a valid Orbitr pattern; nothing was changed",
                result.Errors.Take(20).Select(e => e.ToString()).ToList());
            return false;
        }
        notices.Run(() => library.AddAsync(pattern), ErrorCodes.StorageQuotaExceeded, $"\"{name}\" could not be kept in your patterns");
        notices.Info($"Imported \"{name}\" as \"{pattern.Name}\" into your patterns");
        return true;
    }

    // "format": "orbitr.song" near the start: a song file (a bundle holds its patterns).
    private static bool IsSong(byte[] bytes) =>
        System.Text.Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 256))).Replace(" ", "", StringComparison.Ordinal)
            .Contains("\"format\":\"orbitr.song\"", StringComparison.Ordinal);

    /// <summary>A song bundle's patterns each join the library (in the song's order, the first opened) and the song
    /// joins your songs, its sections naming them; a song that names pattern files instead can't bring them, and says so.</summary>
    private bool ImportSong(string name, byte[] bytes)
    {
        var read = Core.Songs.SongJson.Read(bytes);
        if (read.Song is not { } song)
        {
            notices.Error(ErrorCodes.InvalidPattern, $"\"{name}\" is not a valid Orbitr song; nothing was changed", [.. read.Errors.Take(20).Select(e => e.ToString())]);
            return false;
        }
        if (song.Patterns.Count == 0)
        {
            notices.Error(ErrorCodes.InvalidPattern, $"\"{name}\" is a song without its patterns; nothing was changed",
                "its sections name pattern files: import those, or export the song as a bundle (orbitr.song with its patterns inside)");
            return false;
        }
        var patterns = song.Patterns.Items.ToList();
        notices.Run(async () =>
        {
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = patterns.Count - 1; i >= 0; i--) ids[Core.Songs.Song.BundlePrefix + patterns[i].Key] = await library.AddAsync(patterns[i].Pattern);
            var kept = song with { Patterns = Core.Model.EquatableArray<Core.Songs.SongPattern>.Empty };
            foreach (var (bundled, id) in ids) kept = Core.Songs.SongEditor.Replace(kept, bundled, Songs.SongEntry.Reference(id));
            await songs.AddAsync(kept);
        }, ErrorCodes.StorageQuotaExceeded, $"\"{name}\" could not be kept in your patterns");
        notices.Info($"Imported the song \"{song.Name}\": its {patterns.Count} pattern(s) are in your patterns",
            [.. song.Sections.Items.Select((s, i) => $"section {i + 1}: {song.Bundled(s.Pattern)!.Name} × {s.Repeat}").Take(20)]);
        return true;
    }

    /// <summary>A .mid/.midi file, or any file that starts as a Standard MIDI File does.</summary>
    public static bool IsMidi(string name, byte[] bytes) =>
        name.EndsWith(".mid", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".midi", StringComparison.OrdinalIgnoreCase)
        || bytes.AsSpan().StartsWith("MThd"u8);

    /// <summary>A MIDI drum part as a new pattern (as <c>orbitr import-midi</c> makes it; Orbitr's own file exactly);
    /// a longer part's patterns each join the library, the first opened. What the import changed is listed.</summary>
    private bool ImportMidi(string name, byte[] bytes)
    {
        Core.Midi.MidiImportResult result;
        try
        {
            result = Core.Midi.MidiImport.Import(bytes, new(Path.GetFileNameWithoutExtension(name)));
        }
        catch (Core.Midi.MidiImportException e)
        {
            notices.Error(ErrorCodes.InvalidPattern, $"\"{name}\" could not be imported; nothing was changed", e.Message);
            return false;
        }
        var patterns = result.Patterns;
        notices.Run(async () =>
        {
            // The first is added last, so it is the one open.
            for (var i = patterns.Count - 1; i >= 0; i--) await library.AddAsync(patterns[i]);
        }, ErrorCodes.StorageQuotaExceeded, $"\"{name}\" could not be kept in your patterns");
        var what = patterns.Count == 1
            ? $"Imported \"{name}\" as \"{patterns[0].Name}\" into your patterns"
            : $"Imported \"{name}\" as {patterns.Count} patterns (\"{patterns[0].Name}\" …) into your patterns";
        notices.Info(what, [.. result.Reports.Take(20)]);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_dropListener is not null) await _dropListener.InvokeVoidAsync("stop");
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}
