using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbitr.Contracts;

/// <summary>The one JSON context of the API (System.Text.Json source generation, camelCase, web defaults): the server
/// puts it first in its HTTP JSON options, the web app's API client and the CLI read and write with it. No reflection,
/// so it survives the web app's trimming and the CLI's Native AOT.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreatedOwner))]
[JsonSerializable(typeof(OwnerUsageDto))]
[JsonSerializable(typeof(SampleDto))]
[JsonSerializable(typeof(SamplePage))]
[JsonSerializable(typeof(SavedPattern))]
[JsonSerializable(typeof(PatternVersion))]
[JsonSerializable(typeof(GenerationRequest))]
[JsonSerializable(typeof(GenerationDto))]
[JsonSerializable(typeof(EngineDto[]))]
[JsonSerializable(typeof(List<EngineDto>))]
[JsonSerializable(typeof(KitDto))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ProblemBody))]
public sealed partial class OrbitrJsonContext : JsonSerializerContext;
