using Orbitr.Dsp.Master;
using Orbitr.Dsp.Rendering;
using Orbitr.Web.Audio.Playback;

namespace Orbitr.Web.Audio.Interop;

// Interop messages are classes with settable properties, not positional records: trimming drops constructor
// parameter names, and System.Text.Json then cannot bind a record's constructor in the published app.

public sealed class StartResult
{
    public bool Ok { get; set; }
    public string? Message { get; set; }
    public double SampleRate { get; set; }
}

/// <summary>The numbers the browser shares with C#, sent once at start so each has one home: the note layout
/// (<see cref="Playback.VoiceMessage"/>), the tick answer's header, the limiter's look-ahead window (Orbitr.Dsp's
/// LookAheadLimiter; limiter.worklet.js takes it as a processor option) and the export's tail-trim silence level
/// (Orbitr.Dsp's TailTrim via RenderOptions.SilenceDb; wav.worker.js takes it with each export).</summary>
public sealed class AudioConstants
{
    public int Stride { get; set; }
    public int TickHeader { get; set; }
    public int TickMs { get; set; }
    public double LimiterWindowSeconds { get; set; }
    public double SilenceDb { get; set; }

    /// <summary>The values, from their C# homes.</summary>
    public static AudioConstants Current => new()
    {
        Stride = VoiceMessage.Stride, TickHeader = TickMessage.Header, TickMs = TickMilliseconds,
        LimiterWindowSeconds = LookAheadLimiter.WindowSeconds, SilenceDb = RenderOptions.SilenceDb,
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

public sealed class MixState
{
    public double[] Tracks { get; set; } = [];
    public double Master { get; set; }
    public CompressorState Compressor { get; set; } = new();
    /// <summary>The limiter's ceiling in dBFS; null when the limiter is off.</summary>
    public double? Limiter { get; set; }
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
}

public sealed class ExportResult
{
    public bool Cancelled { get; set; }
    public int Frames { get; set; }
    public double Peak { get; set; }
    public double RenderMs { get; set; }
    public double TotalMs { get; set; }
}
