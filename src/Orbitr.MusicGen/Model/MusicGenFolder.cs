namespace Orbitr.MusicGen.Model;

/// <summary>The files of a MusicGen ONNX export (the layout transformers.js loads: Xenova/musicgen-small). The ONNX
/// files may sit in an <c>onnx/</c> sub-folder or beside the config; the full-precision files are preferred unless the
/// quantized ones are asked for, and a folder that only has the quantized ones uses those.</summary>
public sealed record MusicGenFolder(string Path, string Config, string GenerationConfig, string Tokenizer,
    string TextEncoder, string Decoder, string AudioDecoder, bool Quantized)
{
    public static readonly string[] OnnxFiles = ["text_encoder", "decoder_model_merged", "encodec_decode"];

    /// <exception cref="MusicGenModelException">the folder or one of its files is missing</exception>
    public static MusicGenFolder Locate(string path, bool preferQuantized = false)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
            throw new MusicGenModelException($"the MusicGen model folder {full} does not exist (get one with `orbitr model pull`)");
        string Required(string name) => File.Exists(System.IO.Path.Combine(full, name)) ? System.IO.Path.Combine(full, name)
            : throw new MusicGenModelException($"the MusicGen model folder {full} has no {name} (an incomplete download? run `orbitr model pull` again)");
        var config = Required("config.json");
        var generation = Required("generation_config.json");
        var tokenizer = Required("tokenizer.json");

        string? Find(string stem, bool quantized)
        {
            var file = stem + (quantized ? "_quantized" : "") + ".onnx";
            foreach (var dir in new[] { System.IO.Path.Combine(full, "onnx"), full })
                if (File.Exists(System.IO.Path.Combine(dir, file))) return System.IO.Path.Combine(dir, file);
            return null;
        }

        bool Complete(bool quantized) => OnnxFiles.All(f => Find(f, quantized) is not null);
        var useQuantized = preferQuantized ? Complete(true) || !Complete(false) : !Complete(false) && Complete(true);
        var missing = OnnxFiles.Where(f => Find(f, useQuantized) is null).Select(f => f + (useQuantized ? "_quantized" : "") + ".onnx").ToList();
        if (missing.Count > 0)
            throw new MusicGenModelException($"the MusicGen model folder {full} lacks {string.Join(", ", missing)} (looked in {full} and its onnx/ folder; " +
                "run `orbitr model pull` to complete it)");
        return new MusicGenFolder(full, config, generation, tokenizer,
            Find(OnnxFiles[0], useQuantized)!, Find(OnnxFiles[1], useQuantized)!, Find(OnnxFiles[2], useQuantized)!, useQuantized);
    }
}

/// <summary>A model folder that cannot be used: missing or incomplete files, or files of the wrong shape. The message
/// says what is wrong and what to do.</summary>
public sealed class MusicGenModelException(string message, Exception? inner = null) : Exception(message, inner);
