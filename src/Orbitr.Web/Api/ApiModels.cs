using Orbitr.Contracts;

namespace Orbitr.Web.Api;

/// <summary>Engine names as the UI shows them. The API's records (<see cref="GenerationDto"/>, <see cref="EngineDto"/>,
/// <see cref="SampleDto"/>…) and their JSON context (<see cref="OrbitrJsonContext"/>) are in Orbitr.Contracts, shared with
/// the server and the CLI.</summary>
public static class EngineInfo
{
    public const string Auto = EngineDto.Auto;
    public const string Synth = EngineDto.Synth;
    public const string MusicGen = EngineDto.MusicGen;

    /// <summary>An engine's (or a sample source's) name as the UI shows it: "MusicGen", "Synth"; others as they come.</summary>
    public static string Label(string name) => name switch
    {
        Synth => "Synth",
        MusicGen => "MusicGen",
        Auto => "Auto",
        _ => name,
    };
}
