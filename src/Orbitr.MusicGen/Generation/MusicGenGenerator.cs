using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Orbitr.MusicGen.Model;

namespace Orbitr.MusicGen.Generation;

/// <summary>What to generate: frames at the model's frame rate (50 a second for musicgen-small), the seed of the
/// sampler, and top-k / guidance overrides (null: the model's generation_config.json).</summary>
public sealed record MusicGenSettings(int Frames, ulong Seed = 0, int? TopK = null, float? GuidanceScale = null)
{
    public int Frames { get; init; } = Frames >= 1 ? Frames : throw new ArgumentOutOfRangeException(nameof(Frames), "at least one frame");
}

/// <summary>The decoder's audio (mono, the model's rate), the codes it was decoded from ([codebook][frame]) and where
/// the time went.</summary>
public sealed record MusicGenResult(float[] Audio, int SampleRate, long[][] Codes, MusicGenTimings Timings);

/// <summary>Wall time of a generation, and the part of it spent inside ONNX Runtime's Run (the rest is the pipeline's
/// own work: sampling, guidance, feeding the cache): the benchmark's overhead figure.</summary>
public sealed record MusicGenTimings(TimeSpan Total, TimeSpan InsideOnnxRuntime, int DecoderCalls)
{
    public TimeSpan Outside => Total - InsideOnnxRuntime;
}

/// <summary>Text → audio with a loaded export (shared/musicgen-onnx.md): tokenize, encode the text once, run the merged
/// decoder position by position with its key/value cache (the present values of one call are fed back as the past of the
/// next as ONNX Runtime values, never copied into managed arrays), guide, sample, apply and undo the codebook delay,
/// and decode the codes with EnCodec. The per-position managed work reuses its buffers. One generator per generation
/// (it keeps its timing); the model behind it is shared.</summary>
public sealed class MusicGenGenerator(MusicGenModel model)
{
    /// <summary>Called after each decoder call with the call's index and the decoder cache length it returned (tests).</summary>
    internal Action<int, long>? StepObserved { get; set; }

    public MusicGenResult Generate(string prompt, MusicGenSettings settings, IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        _onnxTicks = 0;
        var config = model.Config;
        int codebooks = config.Codebooks, vocabulary = config.Vocabulary, frames = settings.Frames;
        var guidance = settings.GuidanceScale ?? config.GuidanceScale;
        // Guidance above 1 doubles the batch: the second half sees no text (transformers' MusicGen does the same).
        var guided = guidance > 1;
        var batch = guided ? 2 : 1;
        var rows = batch * codebooks;
        var sampler = new TopKSampler(settings.TopK ?? config.TopK);
        var random = new SplitMix64(settings.Seed);
        var delay = new DelayPattern(codebooks, config.PadToken);
        var positions = delay.PositionsFor(frames);

        using var runOptions = new RunOptions();
        // A cancel (or the time limit) stops a decoder call in flight too, not only between calls.
        using var stopRun = cancel.Register(() => runOptions.Terminate = true);
        var owned = new List<OrtValue>();
        OrtValue Own(OrtValue v)
        {
            owned.Add(v);
            return v;
        }
        try
        {
            var (hidden, hiddenWidth, textLength) = EncodeText(prompt, runOptions, cancel);
            var hiddenBatch = new float[batch * textLength * hiddenWidth];
            hidden.CopyTo(hiddenBatch, 0);
            var maskBatch = new long[batch * textLength];
            maskBatch.AsSpan(0, textLength).Fill(1);
            var encoderStates = Own(OrtValue.CreateTensorValueFromMemory(hiddenBatch, [batch, textLength, hiddenWidth]));
            var encoderMask = Own(OrtValue.CreateTensorValueFromMemory(maskBatch, [batch, textLength]));
            var ids = new long[rows];
            var idsValue = Own(OrtValue.CreateTensorValueFromMemory(ids, [rows, 1]));
            var noCache = Own(OrtValue.CreateTensorValueFromMemory(new[] { false }, [1]));
            var useCache = Own(OrtValue.CreateTensorValueFromMemory(new[] { true }, [1]));
            var emptyPast = Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [batch, model.Heads, 0, model.HeadSize]));

            // Inputs by name, in a fixed order; the past slots change every call.
            var layers = model.Layers;
            var inputNames = new List<string> { MusicGenModel.InputIds, MusicGenModel.EncoderAttentionMask, MusicGenModel.EncoderHiddenStates, MusicGenModel.UseCacheBranch };
            for (var i = 0; i < layers; i++)
                foreach (var part in new[] { "decoder", "encoder" })
                    foreach (var kv in new[] { "key", "value" })
                        inputNames.Add(MusicGenModel.PastName(i, part, kv));
            var inputs = new OrtValue[inputNames.Count];
            inputs[0] = idsValue;
            inputs[1] = encoderMask;
            inputs[2] = encoderStates;
            for (var j = 4; j < inputs.Length; j++) inputs[j] = emptyPast;
            // The first call returns the encoder cache too; later calls reuse it and ask only for the decoder cache.
            var firstOutputs = new List<string> { MusicGenModel.Logits };
            var laterOutputs = new List<string> { MusicGenModel.Logits };
            for (var i = 0; i < layers; i++)
                foreach (var part in new[] { "decoder", "encoder" })
                    foreach (var kv in new[] { "key", "value" })
                    {
                        firstOutputs.Add(MusicGenModel.PresentName(i, part, kv));
                        if (part == "decoder") laterOutputs.Add(MusicGenModel.PresentName(i, part, kv));
                    }

            var tokens = new long[codebooks][];
            for (var k = 0; k < codebooks; k++)
            {
                tokens[k] = new long[positions];
                tokens[k][0] = config.StartToken;
            }
            var guidedLogits = new float[vocabulary];
            var steps = positions - 1;
            var decoderPast = new OrtValue?[layers * 2];
            for (var step = 0; step < steps; step++)
            {
                cancel.ThrowIfCancellationRequested();
                for (var r = 0; r < rows; r++) ids[r] = tokens[r % codebooks][step];
                inputs[3] = step == 0 ? noCache : useCache;
                var outputs = Run(model.Decoder, runOptions, inputNames, inputs, step == 0 ? firstOutputs : laterOutputs, cancel);
                using (var logits = outputs[0])
                {
                    var shape = logits.GetTensorTypeAndShape().Shape;
                    if (shape.Length != 3 || shape[0] != rows || shape[1] != 1 || shape[2] != vocabulary)
                    {
                        for (var j = 1; j < outputs.Count; j++) outputs[j].Dispose();
                        throw new InvalidModelOutputException($"the decoder's logits are [{string.Join(", ", shape)}], expected [{rows}, 1, {vocabulary}]");
                    }
                    var all = logits.GetTensorDataAsSpan<float>();
                    for (var k = 0; k < codebooks; k++)
                    {
                        var conditional = all.Slice(k * vocabulary, vocabulary);
                        int token;
                        if (guided)
                        {
                            ClassifierFreeGuidance.Combine(conditional, all.Slice((codebooks + k) * vocabulary, vocabulary), guidance, guidedLogits);
                            token = sampler.Sample(guidedLogits, ref random);
                        }
                        else token = sampler.Sample(conditional, ref random);
                        tokens[k][step + 1] = delay.InputId(step + 1, k, token, frames);
                    }
                }
                // Hand the cache over: this call's present values are the next call's past (no copy).
                var o = 1;
                for (var i = 0; i < layers; i++)
                {
                    for (var kv = 0; kv < 2; kv++)
                    {
                        decoderPast[i * 2 + kv]?.Dispose();
                        decoderPast[i * 2 + kv] = outputs[o++];
                        inputs[4 + i * 4 + kv] = decoderPast[i * 2 + kv]!;
                    }
                    if (step == 0)
                        for (var kv = 0; kv < 2; kv++)
                            inputs[4 + i * 4 + 2 + kv] = Own(outputs[o++]);
                }
                StepObserved?.Invoke(step, decoderPast[0]!.GetTensorTypeAndShape().Shape[2]);
                progress?.Report((step + 1.0) / (steps + 1));
            }
            foreach (var v in decoderPast) v?.Dispose();

            cancel.ThrowIfCancellationRequested();
            var codes = delay.Undo(tokens);
            var audio = DecodeAudio(codes, frames, runOptions, cancel);
            progress?.Report(1);
            return new MusicGenResult(audio, config.SampleRate, codes,
                new MusicGenTimings(Stopwatch.GetElapsedTime(started), Stopwatch.GetElapsedTime(0, _onnxTicks), steps));
        }
        finally
        {
            foreach (var v in owned) v.Dispose();
        }
    }

    private (float[] Hidden, int Width, int Length) EncodeText(string prompt, RunOptions runOptions, CancellationToken cancel)
    {
        var ids = model.Tokenizer.Encode(prompt);
        var mask = new long[ids.Length];
        mask.AsSpan().Fill(1);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, ids.Length]);
        var outputs = Run(model.TextEncoder, runOptions, [MusicGenModel.InputIds, MusicGenModel.AttentionMask], [idsValue, maskValue],
            [MusicGenModel.LastHiddenState], cancel);
        using var hidden = outputs[0];
        var shape = hidden.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != 1 || shape[1] != ids.Length || shape[2] < 1)
            throw new InvalidModelOutputException($"the text encoder's output is [{string.Join(", ", shape)}], expected [1, {ids.Length}, width]");
        var values = hidden.GetTensorDataAsSpan<float>().ToArray();
        foreach (var v in values)
            if (!float.IsFinite(v)) throw new InvalidModelOutputException("the text encoder's output is not finite");
        return (values, (int)shape[2], ids.Length);
    }

    private float[] DecodeAudio(long[][] codes, int frames, RunOptions runOptions, CancellationToken cancel)
    {
        var codebooks = codes.Length;
        var flat = new long[codebooks * frames];
        for (var k = 0; k < codebooks; k++) codes[k].CopyTo(flat, k * frames);
        using var codesValue = OrtValue.CreateTensorValueFromMemory(flat, [1, 1, codebooks, frames]);
        var outputs = Run(model.AudioDecoder, runOptions, [MusicGenModel.AudioCodes], [codesValue], [MusicGenModel.AudioValues], cancel);
        using var audio = outputs[0];
        var shape = audio.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != 1 || shape[1] != 1)
            throw new InvalidModelOutputException($"the audio decoder's output is [{string.Join(", ", shape)}], expected [1, 1, samples]");
        var samples = audio.GetTensorDataAsSpan<float>().ToArray();
        for (var i = 0; i < samples.Length; i++)
            if (!float.IsFinite(samples[i])) throw new InvalidModelOutputException($"the audio decoder's sample {i} is not finite");
        return samples;
    }

    private long _onnxTicks;

    private IReadOnlyList<OrtValue> Run(InferenceSession session, RunOptions runOptions, IReadOnlyCollection<string> names,
        IReadOnlyCollection<OrtValue> values, IReadOnlyCollection<string> outputs, CancellationToken cancel)
    {
        try
        {
            // The collection is not disposed: its values are handed on (the cache) or disposed one by one.
            var before = Stopwatch.GetTimestamp();
            var result = session.Run(runOptions, names, values, outputs);
            _onnxTicks += Stopwatch.GetTimestamp() - before;
            return result.ToList();
        }
        catch (OnnxRuntimeException) when (cancel.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancel);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidModelOutputException($"ONNX Runtime could not run the model: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
