using System.Text.Json.Nodes;
using Orbitr.MusicGen.Generation;
using Orbitr.MusicGen.Model;
using Orbitr.Tests.Shared;

namespace Orbitr.MusicGen.Tests.Pipeline;

/// <summary>Folders that are not a usable export are refused at load with a message that says what is wrong; a model
/// that misbehaves while generating fails the generation instead of making noise.</summary>
public sealed class ModelLoadingTests
{
    [Fact]
    public void The_export_loads_with_its_config_and_cache_geometry()
    {
        using var model = MusicGenModel.Load(TinyMusicGen.Folder());
        Assert.Equal(4, model.Config.Codebooks);
        Assert.Equal(2048, model.Config.Vocabulary);
        Assert.Equal(2048, model.Config.PadToken);
        Assert.Equal(32000, model.Config.SampleRate);
        Assert.Equal(640, model.Config.SamplesPerFrame);
        Assert.Equal(50, model.Config.FrameRate);
        Assert.Equal(250, model.Config.TopK);
        Assert.Equal(3f, model.Config.GuidanceScale);
        Assert.Equal((2, 4, 2), (model.Layers, model.Heads, model.HeadSize));
        Assert.False(model.Folder.Quantized);
    }

    [Fact]
    public void Files_at_the_top_level_and_quantized_only_folders_load()
    {
        using var flat = MusicGenModel.Load(TinyMusicGen.Folder(flat: true));
        Assert.Equal(Path.Combine(flat.Folder.Path, "decoder_model_merged.onnx"), flat.Folder.Decoder);
        using var quantized = MusicGenModel.Load(TinyMusicGen.Folder(quantized: true));
        Assert.True(quantized.Folder.Quantized);
        Assert.EndsWith("decoder_model_merged_quantized.onnx", quantized.Folder.Decoder);
        Assert.EndsWith("-quantized", quantized.Version);
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var e = Assert.Throws<MusicGenModelException>(() => MusicGenModel.Load("/nonexistent/musicgen"));
        Assert.Contains("/nonexistent/musicgen", e.Message);
        Assert.Contains("orbitr model pull", e.Message);
    }

    [Theory]
    [InlineData("onnx/decoder_model_merged.onnx", "decoder_model_merged.onnx")]
    [InlineData("onnx/encodec_decode.onnx", "encodec_decode.onnx")]
    [InlineData("tokenizer.json", "tokenizer.json")]
    [InlineData("config.json", "config.json")]
    public void A_missing_file_is_named(string file, string named)
    {
        var folder = TinyMusicGen.CopyOf(TinyMusicGen.Folder());
        File.Delete(Path.Combine(folder, file));
        var e = Assert.Throws<MusicGenModelException>(() => MusicGenModel.Load(folder));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void A_decoder_with_other_output_names_is_refused_naming_the_tensor()
    {
        var e = Assert.Throws<MusicGenModelException>(() => MusicGenModel.Load(TinyMusicGen.Folder("wrong-names")));
        Assert.Contains("\"logits\"", e.Message);
        Assert.Contains("decoder_model_merged", e.Message);
    }

    [Fact]
    public void A_truncated_onnx_file_is_refused()
    {
        var folder = TinyMusicGen.CopyOf(TinyMusicGen.Folder());
        var file = Path.Combine(folder, "onnx", "text_encoder.onnx");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..100]);
        var e = Assert.Throws<MusicGenModelException>(() => MusicGenModel.Load(folder));
        Assert.Contains("text_encoder.onnx", e.Message);
    }

    [Fact]
    public void A_config_of_another_shape_is_refused()
    {
        var folder = TinyMusicGen.CopyOf(TinyMusicGen.Folder());
        var path = Path.Combine(folder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["decoder"]!["num_codebooks"] = 8;
        File.WriteAllText(path, config.ToJsonString());
        var e = Assert.Throws<MusicGenModelException>(() => MusicGenModel.Load(folder));
        Assert.Contains("audio_codes", e.Message);
    }

    [Fact]
    public void A_decoder_that_returns_NaN_fails_the_generation()
    {
        using var model = MusicGenModel.Load(TinyMusicGen.Folder("nan"));
        var e = Assert.Throws<InvalidModelOutputException>(() => new MusicGenGenerator(model).Generate("kick", new MusicGenSettings(10, TopK: 1)));
        Assert.Contains("NaN", e.Message);
    }
}
