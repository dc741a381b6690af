using Microsoft.JSInterop;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Pads;
using Orbitr.Web.State;
using Orbitr.Web.Storage;

namespace Orbitr.Web.Midi;

/// <summary>Web MIDI (issue 26), C#'s half of wwwroot/js/midi.js: opens the ports the MIDI dialog chooses and keeps
/// the rings' channels and notes there (MIDI out of every scheduled voice happens in JS at the scheduler's times);
/// what comes in is handled here: notes play rings (<see cref="PadPlayer"/>), a followed clock sets the tempo and
/// its Start/Stop/Continue drive the transport, the cycle aligned to its Song Position.</summary>
public sealed class MidiPorts : IAsyncDisposable
{
    private readonly IJSRuntime _js;
    private readonly PatternState _store;
    private readonly AudioEngine _audio;
    private readonly Notices _notices;
    private IJSObjectReference? _module;
    private IJSObjectReference? _settings;
    private DotNetObjectReference<MidiPorts>? _self;
    private string _rings = "";
    private (Pattern Pattern, int[] Notes) _notes;

    private readonly PadPlayer _pads;

    public MidiPorts(IJSRuntime js, PatternState store, AudioEngine audio, PadPlayer pads, Notices notices)
    {
        (_js, _store, _audio, _pads, _notices) = (js, store, audio, pads, notices);
        _store.PatternChanged += OnPatternChanged;
    }

    public MidiSetup Setup { get; private set; } = new();

    /// <summary>Web MIDI is open (the browser granted it).</summary>
    public bool Open { get; private set; }

    /// <summary>Why MIDI is off (no Web MIDI in this browser, access refused), null when it is not.</summary>
    public string? Unavailable { get; private set; }

    public IReadOnlyList<MidiPort> Outputs { get; private set; } = [];
    public IReadOnlyList<MidiPort> Inputs { get; private set; } = [];

    /// <summary>The followed clock's tempo (null: not following, or no clock seen yet).</summary>
    public double? FollowedBpm => _audio.FollowedBpm;

    /// <summary>The ports, the setup or the followed tempo changed.</summary>
    public event Action? Changed;


    /// <summary>At start-up: the stored setup; MIDI opens by itself when it was turned on in an earlier visit.</summary>
    public async Task LoadAsync()
    {
        _settings ??= await _js.InvokeAsync<IJSObjectReference>("import", "./js/settings.js");
        var loaded = await _settings.InvokeAsync<StorageResult?>("load", MidiSetup.StorageKey);
        Setup = MidiSetup.Read(loaded is { Ok: true } ? loaded.Text : null);
        if (Setup.Enabled) await OpenAsync();
        else
        {
            // Say at once when this browser has no Web MIDI (the dialog shows why it is off) without asking for access.
            _module ??= await _js.InvokeAsync<IJSObjectReference>("import", "./js/midi.js");
            if (!await _module.InvokeAsync<bool>("supported")) Unavailable = NoWebMidi;
        }
        Changed?.Invoke();
    }

    public const string NoWebMidi = "this browser has no Web MIDI (Safari has none; Firefox asks for a site permission add-on)";

    /// <summary>Turns Web MIDI on (the browser may ask); on refusal <see cref="Unavailable"/> says why.</summary>
    public async Task<bool> OpenAsync()
    {
        if (Open) return true;
        _module ??= await _js.InvokeAsync<IJSObjectReference>("import", "./js/midi.js");
        _self ??= DotNetObjectReference.Create(this);
        var result = await _module.InvokeAsync<OpenResult?>("open", _self);
        if (result is not { Ok: true })
        {
            Unavailable = result?.Reason ?? "the browser did not answer";
            Changed?.Invoke();
            return false;
        }
        Open = true;
        Unavailable = null;
        (Outputs, Inputs) = (result.Outputs, result.Inputs);
        await ApplyAsync(Setup with { Enabled = true }, save: !Setup.Enabled);
        return true;
    }

    public Task SetOutputAsync(string? id) => ApplyAsync(Setup with { Output = id }, save: true);
    public Task SetInputAsync(string? id) => ApplyAsync(Setup with { Input = id }, save: true);
    public Task SetSendClockAsync(bool on) => ApplyAsync(Setup with { SendClock = on }, save: true);
    public Task SetFollowClockAsync(bool on) => ApplyAsync(Setup with { FollowClock = on }, save: true);

    private async Task ApplyAsync(MidiSetup setup, bool save)
    {
        Setup = setup;
        // No clock to follow (switched off, or no input): the pattern's own tempo again.
        if (!setup.FollowClock || Known(Inputs, setup.Input) is null) _audio.FollowedBpm = null;
        if (Open && _module is not null)
        {
            await _module.InvokeAsync<bool>("setOutput", Known(Outputs, setup.Output));
            await _module.InvokeAsync<bool>("setInput", Known(Inputs, setup.Input));
            await _module.InvokeVoidAsync("setClock", setup.SendClock);
            await _module.InvokeVoidAsync("setFollow", setup.FollowClock);
            await PushRingsAsync(_store.Pattern, force: true);
        }
        Changed?.Invoke();
        if (save && _settings is not null) await _settings.InvokeAsync<StorageResult?>("save", MidiSetup.StorageKey, setup.Write());
    }

    // A port remembered from another visit that is not plugged in now is none (it comes back when it is listed again).
    private static string? Known(IReadOnlyList<MidiPort> ports, string? id) => id is not null && ports.Any(p => p.Id == id) ? id : null;

    private void OnPatternChanged(Pattern pattern) => _notices.Run(() => PushRingsAsync(pattern, force: false), ErrorCodes.AudioContextFailed, "MIDI could not follow the rings");

    private async Task PushRingsAsync(Pattern pattern, bool force)
    {
        if (!Open || _module is null) return;
        var notes = RingMidi.Notes(pattern);
        var rings = notes.Select((n, t) => new RingPort { Channel = RingMidi.Channel(pattern.Tracks[t]), Note = n }).ToArray();
        var key = string.Join(",", rings.Select(r => $"{r.Channel}:{r.Note}"));
        if (!force && key == _rings) return;
        _rings = key;
        await _module.InvokeVoidAsync("setRings", (object)rings);
    }

    /// <summary>A note-on from the MIDI input (channel 1–16): the ring with that channel and note plays as its pad
    /// does (recorded when recording, at the note's own time), its velocity kept.</summary>
    [JSInvokable]
    public Task OnNote(int channel, int note, int velocity, double audioTime)
    {
        var ring = RingOf(_store.Pattern, channel, note);
        return ring < 0 ? Task.CompletedTask : _pads.HitAsync(ring, Math.Clamp(velocity / 127.0, 0, 1), audioTime >= 0 ? audioTime : null);
    }

    // Each incoming note asks which ring it plays: the rings' notes are worked out once per pattern, not per note.
    private int RingOf(Pattern pattern, int channel, int note)
    {
        if (!ReferenceEquals(_notes.Pattern, pattern)) _notes = (pattern, RingMidi.Notes(pattern));
        return RingMidi.RingOf(pattern, _notes.Notes, channel, note);
    }

    /// <summary>The followed clock's tempo, once a beat (the mean of its last 24 pulses).</summary>
    [JSInvokable]
    public void OnClockTempo(double bpm)
    {
        if (!Setup.FollowClock || !double.IsFinite(bpm) || bpm <= 0) return;
        _audio.FollowedBpm = Math.Clamp(bpm, Pattern.MinBpm, Pattern.MaxBpm);
        Changed?.Invoke();
    }

    /// <summary>Start, Stop, Continue or a Song Position (in sixteenths) from the followed clock, with its audio-clock time.</summary>
    [JSInvokable]
    public async Task OnClockTransport(string kind, int position, double audioTime)
    {
        if (!Setup.FollowClock) return;
        var pattern = _store.Pattern;
        switch (kind)
        {
            case "start":
                await _audio.StopAsync();
                await _audio.PlayAsync(0, audioTime >= 0 ? audioTime : null);
                break;
            case "continue":
                await _audio.StopAsync();
                // Steps are sixteenths: the Song Position's place in the loop (cycles count from the song's start).
                await _audio.PlayAsync(position * StepSeconds(pattern), audioTime >= 0 ? audioTime : null);
                break;
            case "stop":
                await _audio.StopAsync();
                break;
        }
        Changed?.Invoke();
    }

    private double StepSeconds(Pattern pattern) => 60.0 / (_audio.FollowedBpm ?? pattern.Bpm) / 4;

    [JSInvokable]
    public async Task OnPortsChanged()
    {
        if (_module is null) return;
        if (await _module.InvokeAsync<PortList?>("ports") is not { } ports) return;
        (Outputs, Inputs) = (ports.Outputs, ports.Inputs);
        await ApplyAsync(Setup, save: false);
    }

    public async ValueTask DisposeAsync()
    {
        _store.PatternChanged -= OnPatternChanged;
        try
        {
            if (_module is not null) await _module.DisposeAsync();
            if (_settings is not null) await _settings.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}
