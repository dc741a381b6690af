using System.Text.Json;

namespace Orbitr.MusicGen.Model;

/// <summary>What the pipeline needs from <c>config.json</c> and <c>generation_config.json</c>, read at load time and
/// never hard-coded (shared/musicgen-onnx.md).</summary>
public sealed record MusicGenConfig(int Codebooks, int Vocabulary, long PadToken, long StartToken, int SampleRate, int SamplesPerFrame,
    int TopK, float GuidanceScale)
{
    public double FrameRate => (double)SampleRate / SamplesPerFrame;

    /// <exception cref="MusicGenModelException">a value is missing or out of range</exception>
    public static MusicGenConfig Load(string configPath, string generationConfigPath)
    {
        using var config = Parse(configPath);
        using var generation = Parse(generationConfigPath);
        var root = config.RootElement;
        var gen = generation.RootElement;
        var decoder = Object(root, "decoder", configPath);
        var audio = Object(root, "audio_encoder", configPath);

        var codebooks = Int(decoder, "num_codebooks", configPath, 1, 64);
        var vocabulary = Int(decoder, "vocab_size", configPath, 2, 1 << 20);
        var pad = OptionalLong(gen, "pad_token_id") ?? OptionalLong(decoder, "pad_token_id") ?? OptionalLong(root, "pad_token_id")
            ?? throw new MusicGenModelException($"{configPath}: no pad_token_id");
        var start = OptionalLong(gen, "decoder_start_token_id") ?? OptionalLong(root, "decoder_start_token_id") ?? OptionalLong(decoder, "bos_token_id") ?? pad;
        var rate = Int(audio, "sampling_rate", configPath, 8000, 192000);
        // EnCodec's hop is the product of its upsampling ratios (640 = 8·5·4·4 at 32 kHz → 50 frames a second).
        int hop;
        if (audio.TryGetProperty("upsampling_ratios", out var ratios) && ratios.ValueKind == JsonValueKind.Array && ratios.GetArrayLength() > 0)
            hop = ratios.EnumerateArray().Aggregate(1, (p, r) => r.TryGetInt32(out var v) && v > 0 ? p * v
                : throw new MusicGenModelException($"{configPath}: audio_encoder.upsampling_ratios must be positive whole numbers"));
        else if (audio.TryGetProperty("frame_rate", out var fr) && fr.TryGetDouble(out var frameRate) && frameRate > 0)
            hop = (int)Math.Round(rate / frameRate);
        else
            throw new MusicGenModelException($"{configPath}: audio_encoder has neither upsampling_ratios nor frame_rate");
        var topK = (int)(OptionalLong(gen, "top_k") ?? 250);
        var guidance = gen.TryGetProperty("guidance_scale", out var g) && g.TryGetDouble(out var gs) ? (float)gs : 3f;
        if (topK < 1) throw new MusicGenModelException($"{generationConfigPath}: top_k must be at least 1");
        if (pad < 0 || start < 0) throw new MusicGenModelException($"{configPath}: token ids must not be negative");
        return new MusicGenConfig(codebooks, vocabulary, pad, start, rate, hop, topK, guidance);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new MusicGenModelException($"{path} is not JSON: {e.Message}", e);
        }
    }

    private static JsonElement Object(JsonElement root, string name, string path) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Object ? e
            : throw new MusicGenModelException($"{path} has no \"{name}\" section: is this a MusicGen config?");

    private static int Int(JsonElement section, string name, string path, int min, int max) =>
        section.TryGetProperty(name, out var e) && e.TryGetInt32(out var v) && v >= min && v <= max ? v
            : throw new MusicGenModelException($"{path}: {name} must be a whole number {min}–{max}");

    private static long? OptionalLong(JsonElement section, string name) =>
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var e) && e.TryGetInt64(out var v) ? v : null;
}
