using Microsoft.JSInterop;
using Orbitr.Web.Library;
using Orbitr.Web.Patterns;
using Orbitr.Web.State;

namespace Orbitr.Web.Files;

/// <summary>Files coming in: a pattern file joins the library as a new pattern, an audio file the sample library
/// (the Import button, and files dropped anywhere on the page).</summary>
public sealed class PatternImports(PatternFiles files, PatternLibrary library, SampleShelf shelf, Notices notices) : IAsyncDisposable
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
