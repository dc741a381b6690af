using Orbitr.Dsp.Master;
using Orbitr.Dsp.Rendering;
using Orbitr.Web.Audio.Playback;

namespace Orbitr.Web.Audio.Interop;

// Interop messages are classes with settable properties, not positional records: trimming drops constructor
// parameter names, and System.Text.Json then cannot bind a record's constructor in the published app.

/// <summary>Where playing starts, for MIDI clock out: the Song Position (sixteenths) and the pattern time.</summary>
public sealed class StartPoint
{
    public double Sixteenths { get; set; }
    public double Seconds { get; set; }
}

public sealed class StartResult
{
    public bool Ok { get; set; }
    public string? Message { get; set; }
    public double SampleRate { get; set; }
}

/// <summary>The numbers the browser shares with C#, sent once at start so each has one home: the note layout
/// (<see cref="Playback.VoiceMessage"/>), the tick answer's header, the limiter's look-ahead window (Orbitr.Dsp's
/// LookAheadLimiter; limiter.worklet.js takes it as a processor option), the DC blocker after the compressor (a
/// BiquadFilterNode with Orbitr.Dsp's DcBlocker frequency and Q) and the export's tail-trim silence level
/// (Orbitr.Dsp's TailTrim via RenderOptions.SilenceDb; wav.worker.js takes it with each export).</summary>
public sealed class AudioConstants
{
    public int Stride { get; set; }
    public int TickHeader { get; set; }
    public int TickMs { get; set; }
    public double LimiterWindowSeconds { get; set; }
    public double SilenceDb { get; set; }
    public double DcBlockerHz { get; set; }
    public double DcBlockerQ { get; set; }

    /// <summary>The values, from their C# homes.</summary>
    public static AudioConstants Current => new()
    {
        Stride = VoiceMessage.Stride, TickHeader = TickMessage.Header, TickMs = TickMilliseconds,
        LimiterWindowSeconds = LookAheadLimiter.WindowSeconds, SilenceDb = RenderOptions.SilenceDb,
        DcBlockerHz = DcBlocker.Frequency, DcBlockerQ = DcBlocker.QDb,
    };

    /// <summary>The worker clock's interval.</summary>
    public const int TickMilliseconds = 25;
}

public sealed class CompressorState
{
    public bool Enabled { get; set; }
    public double Threshold { get; set; }
    public double Knee { get; set; }
    public double Ratio { get; set; }
    public double Attack { get; set; }
    public double Release { get; set; }
}

/// <summary>The master reverb as audio.js builds it: the impulse response's buffer id, the return level and each
/// ring's send.</summary>
public sealed class ReverbState
{
    public int Buffer { get; set; }
    public double Return { get; set; }
    public double[] Sends { get; set; } = [];
}

public sealed class MixState
{
    /// <summary>Null when no ring sends to a reverb that is on (or its impulse response is not in audio.js yet).</summary>
    public ReverbState? Reverb { get; set; }

    public double[] Tracks { get; set; } = [];
    public double Master { get; set; }
    public CompressorState Compressor { get; set; } = new();
    /// <summary>The limiter's ceiling in dBFS; null when the limiter is off.</summary>
    public double? Limiter { get; set; }
    /// <summary>The limiter's true-peak mode (its ceiling in dBTP).</summary>
    public bool TruePeak { get; set; }
}

/// <summary>An export for audio.js: the notes (sample-frame aligned), the mix, how many frames to render (the span
/// plus the longest auto tail), the span that is always kept, and the WAV's bits (16, 24 or 32 = float).</summary>
public sealed class ExportRequest
{
    public int SampleRate { get; set; }
    public int Frames { get; set; }
    public int SpanFrames { get; set; }
    /// <summary><see cref="Playback.VoiceMessage"/> numbers as little-endian float64 bytes.</summary>
    public byte[] Events { get; set; } = [];
    public MixState Mix { get; set; } = new();
    public int Bits { get; set; }
    public string FileName { get; set; } = "";
    /// <summary>A seamless loop of exactly SpanFrames (Orbitr.Dsp's LoopRenderer: tails folded, dynamics in their
    /// steady state, a smpl chunk).</summary>
    public bool Loop { get; set; }
    /// <summary>Stems (issue 25): one WAV per ring, then the reverb's return, of these names, zipped into FileName.</summary>
    public List<string>? Stems { get; set; }
}

/// <summary>A song's export (issue 25): each section rendered before the master bus in its own offline context from
/// frame <see cref="SongSectionRequest.Offset"/>, the sum then through the first section's master dynamics.</summary>
public sealed class SongExportRequest
{
    public int SampleRate { get; set; }
    public int Frames { get; set; }
    public int SpanFrames { get; set; }
    /// <summary>The first section's mix: its compressor and limiter end the song's render.</summary>
    public MixState Mix { get; set; } = new();
    public List<SongSectionRequest> Sections { get; set; } = [];
    public int Bits { get; set; }
    public string FileName { get; set; } = "";
}

public sealed class SongSectionRequest
{
    /// <summary>The song frame the section's context starts at.</summary>
    public int Offset { get; set; }
    public int Frames { get; set; }
    public byte[] Events { get; set; } = [];
    public MixState Mix { get; set; } = new();
}

public sealed class ExportResult
{
    public bool Cancelled { get; set; }
    public int Frames { get; set; }
    public double Peak { get; set; }
    public double RenderMs { get; set; }
    public double TotalMs { get; set; }
}
