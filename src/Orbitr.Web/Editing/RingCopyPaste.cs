using Orbitr.Core.Editing;
using Orbitr.Web.State;

namespace Orbitr.Web.Editing;

/// <summary>The ring panel's Copy ring and Paste ring (issue 26): a copy goes to this page's clipboard and to the system
/// clipboard as <see cref="RingClipboard"/> JSON; a paste takes the system clipboard's ring when it holds one (another
/// tab's copy), else this page's, onto the given ring, in one undo level.</summary>
public sealed class RingCopyPaste(SystemClipboard clipboard, PatternState store, Notices notices)
{
    private RingClip? _clip;

    /// <summary>What a paste writes when the system clipboard holds no ring.</summary>
    public RingClip? Clip => _clip;

    public async Task CopyAsync(int track)
    {
        if (track < 0 || track >= store.Pattern.Tracks.Count) return;
        _clip = RingClipboard.Copy(store.Pattern, track);
        await clipboard.WriteAsync(RingClipboard.ToJson(_clip));
    }

    /// <summary>Returns whether a ring was pasted.</summary>
    public async Task<bool> PasteAsync(int track, bool resize)
    {
        var clip = RingClipboard.FromJson(await clipboard.ReadAsync()) ?? _clip;
        if (clip is null)
        {
            notices.Info("Nothing to paste: copy a ring first (Copy ring in its panel)");
            return false;
        }
        store.Dispatch(p => RingClipboard.Paste(p, clip, track, resize));
        return true;
    }
}
