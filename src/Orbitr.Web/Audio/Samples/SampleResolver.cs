using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Flac;
using Orbitr.Dsp.Resampling;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.Offline;
using Orbitr.Web.Api;

namespace Orbitr.Web.Audio.Samples;

/// <summary>Finds the audio behind a pattern's sample sources: the built-in kit is synthesized here in the browser
/// from Orbitr.Synthesis (no download), generated and uploaded samples come from the server's library as WAV and are
/// kept in the browser (<see cref="SoundStore"/>) so they play offline; uploads made offline live only in the browser
/// until they reach the server. All at 44.1 kHz like the CLI, so exports match <c>orbitr render</c>.</summary>
public sealed class SampleResolver(OrbitrApiClient api, SoundStore sounds, IJSRuntime js)
{
    public const int SampleRate = 44100;
    private IJSObjectReference? _audio;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AudioBuffer> s_kit = new(StringComparer.Ordinal);

    /// <summary>A built-in sound at 44.1 kHz, synthesized once per page (the player and the library's waveforms share it).</summary>
    public static AudioBuffer Kit(string name) => s_kit.GetOrAdd(name, n => KitSynthesizer.Render(n, SampleRate));

    /// <summary>The audio for a source, or an explanation of why the browser cannot have it.</summary>
    public async Task<SampleResult> ResolveAsync(SampleRef source)
    {
        switch (source.Kind)
        {
            case SampleSourceKind.Builtin when KitSynthesizer.Names.Contains(source.Value):
                return new(Kit(source.Value), null);
            case SampleSourceKind.Builtin:
                return new(null, $"\"{source.Value}\" is not a built-in sound");
            case SampleSourceKind.File:
                return new(null, $"the file \"{source.Value}\" is not available in the browser; upload it to the library, or use the CLI");
            case SampleSourceKind.Local:
                return await sounds.GetAsync(source.Source) is { } local && await DecodeAsync(local) is { Audio: { } decoded }
                    ? new(decoded, null)
                    : new(null, $"\"{source.Name ?? source.Value}\" was added in another browser and has not reached the server yet");
        }
        // Kept from an earlier fetch: no network needed.
        if (await sounds.GetAsync(source.Source) is { } kept)
        {
            try
            {
                return new(Resampler.Resample(WavReader.Read(kept), SampleRate), null);
            }
            catch (AudioDecodeException)
            {
                await sounds.RemoveAsync(source.Source); // a damaged copy: fetch it again
            }
        }
        var bytes = await api.SampleAudioAsync(source.Value);
        if (bytes.Problem is { } problem)
            return new(null, problem.Status == 404
                ? $"generated sample \"{source.Value}\" is not in this server's library (deleted?)"
                : $"{problem.Title} (code {problem.Code}): {problem.Detail}", problem.Status == 0);
        try
        {
            var audio = WavReader.Read(bytes.Value);
            await sounds.KeepAsync(source.Source, bytes.Value!, source.Name);
            return new(Resampler.Resample(audio, SampleRate), null); // the same buffer when the rate already matches
        }
        catch (AudioDecodeException e)
        {
            return new(null, $"the server's audio for \"{source.Value}\" cannot be decoded: {e.Message}");
        }
    }

    /// <summary>Decodes an audio file as the server would take it: WAV and FLAC here (the server's own readers), OGG and
    /// MP3 by the browser's decoder. At 44.1 kHz; null audio with the reason when it cannot be decoded.</summary>
    public async Task<SampleResult> DecodeAsync(byte[] file)
    {
        try
        {
            AudioBuffer audio;
            if (file.AsSpan().StartsWith("RIFF"u8)) audio = WavReader.Read(file);
            else if (file.AsSpan().StartsWith("fLaC"u8)) audio = FlacReader.Read(file);
            else
            {
                _audio ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/audio.js");
                audio = Planar(await _audio.InvokeAsync<byte[]>("decode", file));
            }
            return new(Resampler.Resample(audio, SampleRate), null);
        }
        catch (AudioDecodeException e)
        {
            return new(null, e.Message);
        }
        catch (JSException e)
        {
            return new(null, $"the browser cannot decode it ({e.Message.Split('\n')[0]})");
        }
    }

    // audio.js's decode: sample rate and channel count (int32 each), then each channel's float32 samples.
    private static AudioBuffer Planar(byte[] bytes)
    {
        var rate = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var channels = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8));
        var length = floats.Length / Math.Max(1, channels);
        var data = new float[channels][];
        for (var c = 0; c < channels; c++) data[c] = floats.Slice(c * length, length).ToArray();
        return new AudioBuffer(data, rate);
    }
}

/// <summary>Audio, or why not. <see cref="Retry"/>: the failure may pass (the server was unreachable).</summary>
public readonly record struct SampleResult(AudioBuffer? Audio, string? Error, bool Retry = false);
