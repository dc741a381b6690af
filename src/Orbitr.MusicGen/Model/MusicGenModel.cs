using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Orbitr.MusicGen.Text;

namespace Orbitr.MusicGen.Model;

/// <summary>How the ONNX sessions run: threads per operator (the decoder's matrix products), and whether the
/// quantized files are used.</summary>
public sealed record MusicGenSessionOptions(int IntraOpThreads = 0, bool Quantized = false)
{
    /// <summary>0 lets ONNX Runtime choose (one thread per physical core).</summary>
    public int IntraOpThreads { get; init; } = IntraOpThreads >= 0 ? IntraOpThreads : throw new ArgumentOutOfRangeException(nameof(IntraOpThreads));
}

/// <summary>A loaded MusicGen export: its config, tokenizer and the three ONNX Runtime sessions, checked against the
/// names, dtypes and fixed dimensions the pipeline feeds. Loaded once and shared: a session is thread-safe for Run,
/// and creating one costs seconds for the real model.</summary>
public sealed class MusicGenModel : IDisposable
{
    public const string InputIds = "input_ids", AttentionMask = "attention_mask", LastHiddenState = "last_hidden_state";
    public const string EncoderHiddenStates = "encoder_hidden_states", EncoderAttentionMask = "encoder_attention_mask";
    public const string UseCacheBranch = "use_cache_branch", Logits = "logits", AudioCodes = "audio_codes", AudioValues = "audio_values";

    private MusicGenModel(MusicGenFolder folder, MusicGenConfig config, T5Tokenizer tokenizer, InferenceSession text, InferenceSession decoder,
        InferenceSession audio, int layers, int heads, int headSize)
    {
        Folder = folder;
        Config = config;
        Tokenizer = tokenizer;
        TextEncoder = text;
        Decoder = decoder;
        AudioDecoder = audio;
        Layers = layers;
        Heads = heads;
        HeadSize = headSize;
    }

    public MusicGenFolder Folder { get; }
    public MusicGenConfig Config { get; }
    public T5Tokenizer Tokenizer { get; }
    internal InferenceSession TextEncoder { get; }
    internal InferenceSession Decoder { get; }
    internal InferenceSession AudioDecoder { get; }
    public int Layers { get; }
    public int Heads { get; }
    public int HeadSize { get; }

    /// <summary>"musicgen-small" (or the folder's name), with "-q8" for the quantized files: part of the cache key.</summary>
    public string Version => System.IO.Path.GetFileName(Folder.Path.TrimEnd('/', '\\')) + (Folder.Quantized ? "-quantized" : "");

    public static string PastName(int layer, string part, string kv) => $"past_key_values.{layer}.{part}.{kv}";
    public static string PresentName(int layer, string part, string kv) => $"present.{layer}.{part}.{kv}";

    /// <exception cref="MusicGenModelException">the folder is missing, incomplete, or its models are not a MusicGen export</exception>
    public static MusicGenModel Load(string path, MusicGenSessionOptions? options = null)
    {
        options ??= new MusicGenSessionOptions();
        var folder = MusicGenFolder.Locate(path, options.Quantized);
        var config = MusicGenConfig.Load(folder.Config, folder.GenerationConfig);
        T5Tokenizer tokenizer;
        try
        {
            using var stream = File.OpenRead(folder.Tokenizer);
            tokenizer = T5Tokenizer.Load(stream);
        }
        catch (InvalidDataException e)
        {
            throw new MusicGenModelException($"{folder.Tokenizer}: {e.Message}", e);
        }

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        var sessions = new List<InferenceSession>();
        try
        {
            var text = Open(folder.TextEncoder, sessionOptions, sessions);
            var decoder = Open(folder.Decoder, sessionOptions, sessions);
            var audio = Open(folder.AudioDecoder, sessionOptions, sessions);
            Expect(text, folder.TextEncoder, [(InputIds, TensorElementType.Int64), (AttentionMask, TensorElementType.Int64)],
                [(LastHiddenState, TensorElementType.Float)]);
            Expect(audio, folder.AudioDecoder, [(AudioCodes, TensorElementType.Int64)], [(AudioValues, TensorElementType.Float)]);
            var (layers, heads, headSize) = CheckDecoder(decoder, folder.Decoder, config);
            var codes = audio.InputMetadata[AudioCodes].Dimensions;
            if (codes.Length != 4 || (codes[2] > 0 && codes[2] != config.Codebooks))
                throw new MusicGenModelException($"{folder.AudioDecoder}: audio_codes must be [1, batch, {config.Codebooks}, frames], " +
                    $"the file has [{string.Join(", ", codes)}] (a different model than config.json describes?)");
            return new MusicGenModel(folder, config, tokenizer, text, decoder, audio, layers, heads, headSize);
        }
        catch
        {
            foreach (var s in sessions) s.Dispose();
            throw;
        }
    }

    private static InferenceSession Open(string file, SessionOptions options, List<InferenceSession> opened)
    {
        try
        {
            var session = new InferenceSession(file, options);
            opened.Add(session);
            return session;
        }
        catch (OnnxRuntimeException e)
        {
            throw new MusicGenModelException($"{file} is not a model ONNX Runtime can load: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static void Expect(InferenceSession session, string file, (string Name, TensorElementType Type)[] inputs, (string Name, TensorElementType Type)[] outputs)
    {
        foreach (var (name, type) in inputs) Check(session.InputMetadata, name, type, file, "input");
        foreach (var (name, type) in outputs) Check(session.OutputMetadata, name, type, file, "output");
    }

    private static void Check(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, TensorElementType type, string file, string what)
    {
        if (!metadata.TryGetValue(name, out var m))
            throw new MusicGenModelException($"{file} has no {what} named \"{name}\" (it has {string.Join(", ", metadata.Keys.Take(8))}" +
                $"{(metadata.Count > 8 ? ", …" : "")}): not the MusicGen export Orbitr reads");
        if (!m.IsTensor || m.ElementDataType != type)
            throw new MusicGenModelException($"{file}: {what} \"{name}\" is {m.ElementDataType}, expected {type}");
    }

    /// <summary>Layers from the past_key_values inputs; heads and head size from their fixed dimensions.</summary>
    private static (int Layers, int Heads, int HeadSize) CheckDecoder(InferenceSession decoder, string file, MusicGenConfig config)
    {
        Expect(decoder, file,
            [(InputIds, TensorElementType.Int64), (EncoderHiddenStates, TensorElementType.Float), (EncoderAttentionMask, TensorElementType.Int64),
             (UseCacheBranch, TensorElementType.Bool)],
            [(Logits, TensorElementType.Float)]);
        var layers = 0;
        while (decoder.InputMetadata.ContainsKey(PastName(layers, "decoder", "key"))) layers++;
        if (layers == 0) throw new MusicGenModelException($"{file} has no past_key_values inputs: the merged decoder with a key/value cache is needed (decoder_model_merged.onnx)");
        int heads = 0, headSize = 0;
        for (var i = 0; i < layers; i++)
            foreach (var part in new[] { "decoder", "encoder" })
                foreach (var kv in new[] { "key", "value" })
                {
                    Check(decoder.InputMetadata, PastName(i, part, kv), TensorElementType.Float, file, "input");
                    Check(decoder.OutputMetadata, PresentName(i, part, kv), TensorElementType.Float, file, "output");
                    var dims = decoder.InputMetadata[PastName(i, part, kv)].Dimensions;
                    if (dims.Length != 4 || dims[1] <= 0 || dims[3] <= 0)
                        throw new MusicGenModelException($"{file}: {PastName(i, part, kv)} must be [batch, heads, length, head size] with fixed heads and head size");
                    if (heads == 0) (heads, headSize) = (dims[1], dims[3]);
                    else if (dims[1] != heads || dims[3] != headSize)
                        throw new MusicGenModelException($"{file}: {PastName(i, part, kv)} has {dims[1]}×{dims[3]} heads, the others {heads}×{headSize}");
                }
        var logits = decoder.OutputMetadata[Logits].Dimensions;
        if (logits.Length != 3 || (logits[2] > 0 && logits[2] != config.Vocabulary))
            throw new MusicGenModelException($"{file}: logits must be [rows, positions, {config.Vocabulary}], the file has [{string.Join(", ", logits)}]");
        return (layers, heads, headSize);
    }

    public void Dispose()
    {
        TextEncoder.Dispose();
        Decoder.Dispose();
        AudioDecoder.Dispose();
    }
}
