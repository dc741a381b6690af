using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Web.Audio;
using Orbitr.Web.Patterns;
using Orbitr.Web.State;

namespace Orbitr.Web.Songs;

/// <summary>Plays the open song from a section (issue 25). Each section's pattern is queued on the transport to start
/// exactly <c>repeat</c> cycles after the one before began (sample-accurate, at its own tempo, tails ringing on: the
/// transport's queue), and opens in the editor when it starts, so the playhead and the rings show what plays. A loop
/// range goes back to its first section after its last; without one the song stops where its last section ends.
/// Choosing a pattern yourself, or Stop, ends song playback.</summary>
public sealed class SongPlayer : IDisposable
{
    private readonly SongLibrary _songs;
    private readonly PatternLibrary _patterns;
    private readonly AudioEngine _engine;
    private readonly Notices _notices;
    private Pattern? _queued;
    private int _queuedSection = -1;
    private bool _starting;

    public SongPlayer(SongLibrary songs, PatternLibrary patterns, AudioEngine engine, Notices notices)
    {
        (_songs, _patterns, _engine, _notices) = (songs, patterns, engine, notices);
        _engine.QueuedPatternStarted += OnStarted;
        _engine.StateChanged += OnStateChanged;
    }

    /// <summary>The song is playing (not just a pattern).</summary>
    public bool Playing { get; private set; }

    /// <summary>The section playing (0-based) while <see cref="Playing"/>.</summary>
    public int Section { get; private set; }

    /// <summary>The cycle of the section playing (0-based), as of the last tick.</summary>
    public int Cycle => Playing ? _engine.CurrentCycle : 0;

    /// <summary>Sections looped over (inclusive, 0-based), or null to play to the end and stop.</summary>
    public (int From, int To)? Loop { get; private set; }

    public event Action? Changed;

    public void SetLoop(int? from, int? to)
    {
        var count = _songs.Current?.Song.Sections.Count ?? 0;
        Loop = from is { } f && to is { } t && count > 0 ? (Math.Clamp(Math.Min(f, t), 0, count - 1), Math.Clamp(Math.Max(f, t), 0, count - 1)) : null;
        if (Playing) Requeue();
        Changed?.Invoke();
    }

    /// <summary>Starts the open song at section <paramref name="index"/> (stopping what plays first).</summary>
    public async Task PlayFromAsync(int index)
    {
        if (_songs.Current?.Song is not { } song || index < 0 || index >= song.Sections.Count) return;
        var section = song.Sections[index];
        if (_songs.Entry(section.Pattern) is not { } entry)
        {
            _notices.Error(ErrorCodes.InvalidPattern, $"Section {index + 1} cannot play: its pattern is no longer in your patterns",
                "Remove the section, or add another pattern in its place.");
            return;
        }
        _starting = true;
        try
        {
            if (_engine.Playing) await _engine.StopAsync();
            await _patterns.OpenAsync(entry.Id);
            Playing = true;
            Section = index;
            await _engine.PlayAsync(songSixteenths: SixteenthsBefore(song, index));
        }
        finally
        {
            _starting = false;
        }
        if (!_engine.Playing)
        {
            Playing = false;
            Changed?.Invoke();
            return;
        }
        QueueNext();
        Changed?.Invoke();
    }

    public Task StopAsync() => _engine.StopAsync();

    // The song's sixteenths before section k (steps are sixteenths): MIDI clock out's Song Position for a start there.
    private int SixteenthsBefore(Song song, int index)
    {
        long n = 0;
        for (var j = 0; j < index; j++)
            if (_songs.Entry(song.Sections[j].Pattern) is { } e) n += (long)song.Sections[j].Repeat * e.Pattern.Length;
        return (int)Math.Min(n, int.MaxValue);
    }

    // The section after the one playing: the loop's first after its last, none after the song's last.
    private int NextIndex(Song song)
    {
        if (Loop is { } loop && Section == loop.To) return loop.From;
        return Section + 1 < song.Sections.Count ? Section + 1 : -1;
    }

    private void QueueNext()
    {
        if (_songs.Current?.Song is not { } song || Section >= song.Sections.Count) return;
        var repeat = song.Sections[Section].Repeat;
        var next = NextIndex(song);
        // The end: a silent cycle of one step takes over, and playback stops when it starts.
        var pattern = next < 0 ? Silence() : _songs.Resolve(song.Sections[next].Pattern) ?? Silence();
        _queued = pattern;
        _queuedSection = next < 0 || _songs.Resolve(song.Sections[next].Pattern) is null ? -1 : next;
        _engine.QueuePattern(pattern, repeat);
    }

    private void Requeue() => QueueNext();

    private Pattern Silence()
    {
        var current = _patterns.Find(_patterns.CurrentId ?? "")?.Pattern ?? PatternFactory.Create();
        return PatternEditor.SetLength(PatternEditor.ClearPattern(current), 1);
    }

    private async void OnStarted(Pattern pattern)
    {
        if (!Playing) return;
        if (!ReferenceEquals(pattern, _queued))
        {
            // A pattern chosen by hand took over: the song stops leading.
            Playing = false;
            Changed?.Invoke();
            return;
        }
        _queued = null;
        if (_queuedSection < 0)
        {
            Playing = false;
            Changed?.Invoke();
            await _engine.StopAsync();
            return;
        }
        Section = _queuedSection;
        QueueNext();
        Changed?.Invoke();
        if (_songs.Current?.Song is { } song && Section < song.Sections.Count && _songs.Entry(song.Sections[Section].Pattern) is { } entry)
            await _patterns.OpenAsync(entry.Id);
    }

    private void OnStateChanged()
    {
        if (_engine.Playing || !Playing || _starting) return;
        Playing = false;
        _queued = null;
        Changed?.Invoke();
    }

    public void Dispose()
    {
        _engine.QueuedPatternStarted -= OnStarted;
        _engine.StateChanged -= OnStateChanged;
    }
}
