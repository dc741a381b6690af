namespace Orbitr.Server.Storage;

/// <summary>A sample in the library: metadata in the database, audio (WAV) in the blob store under <see cref="BlobKey"/>.</summary>
public sealed class SampleRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Prompt { get; set; }
    /// <summary>"synth", "musicgen" or "upload".</summary>
    public required string Engine { get; set; }
    public double DurationSeconds { get; set; }
    public int SampleRate { get; set; }
    public int Channels { get; set; }
    /// <summary>Waveform peaks (Orbitr.Dsp WaveformPeaks), 0–1.</summary>
    public float[] Peaks { get; set; } = [];
    public required string BlobKey { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>SHA-256 of the WAV bytes (base64url): the audio's ETag.</summary>
    public required string ContentHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
