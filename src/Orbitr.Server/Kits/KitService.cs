using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orbitr.Contracts;
using Orbitr.Server.Generation;
using Orbitr.Server.Storage;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Server.Kits;

/// <summary>Kits from a prompt: one request makes a matched set of <see cref="KitRoles"/> sounds with one seed, each
/// a generation on the queue (so the engines' gates, the cache, the quotas and the owner's library apply as for any
/// sound), and a small manifest in the blob store (kits/{id}.json: whose it is and which generations it holds), so
/// every API process can answer for it.</summary>
public sealed class KitService(GenerationService generations, IBlobStore blobs)
{
    public sealed record Manifest(string Owner, string Prompt, string Engine, uint Seed, List<ManifestSound> Sounds);

    public sealed record ManifestSound(string Role, string Prompt, string Generation);

    /// <summary>Queues the kit's sounds. A problem (a prompt too long once the role's words are added, an engine not
    /// there, a quota) is returned instead, with the outcome that says which.</summary>
    public async Task<(SubmitOutcome Outcome, KitDto? Kit, string? Problem)> SubmitAsync(GenerationRequest request, string clientId, string ownerId,
        CancellationToken cancel)
    {
        foreach (var role in KitRoles.All)
            if (PromptReader.Problem(KitRoles.PromptFor(request.Prompt, role)) is { } problem)
                return (SubmitOutcome.InvalidEngine, null, $"with the {role.Words}'s words added, {problem}");
        // One seed for the whole kit, chosen here when the request has none (else each sound would get its own).
        var seed = request.Seed ?? BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        var sounds = new List<(ManifestSound Sound, GenerationDto Generation)>();
        foreach (var role in KitRoles.All)
        {
            var prompt = KitRoles.PromptFor(request.Prompt, role);
            var (outcome, generation, reason) = await generations.SubmitAsync(
                request with { Prompt = prompt, DurationSeconds = role.Seconds, Seed = seed }, clientId, ownerId, cancel);
            if (generation is null) return (outcome, null, reason);
            sounds.Add((new ManifestSound(role.Name, prompt, generation.Id), generation));
        }
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var manifest = new Manifest(ownerId, request.Prompt, sounds[0].Generation.Engine, seed, [.. sounds.Select(s => s.Sound)]);
        await blobs.PutAsync(Key(id), JsonSerializer.SerializeToUtf8Bytes(manifest, KitJson.Default.Manifest), cancel);
        return (SubmitOutcome.Queued, ToDto(id, manifest, sounds.Select(s => s.Generation).ToList()), null);
    }

    /// <summary>The kit as it is now, for its owner; null when there is no such kit of theirs.</summary>
    public async Task<KitDto?> GetAsync(string id, string? ownerId, CancellationToken cancel)
    {
        if (!IsId(id)) return null;
        await using var stream = await blobs.OpenAsync(Key(id), cancel);
        if (stream is null) return null;
        var manifest = await JsonSerializer.DeserializeAsync(stream, KitJson.Default.Manifest, cancel);
        if (manifest is null || manifest.Owner != ownerId) return null;
        var now = new List<GenerationDto>();
        foreach (var sound in manifest.Sounds)
            if (await generations.GetAsync(sound.Generation, cancel) is { } g) now.Add(g);
            else return null;
        return ToDto(id, manifest, now);
    }

    private static KitDto ToDto(string id, Manifest manifest, List<GenerationDto> now)
    {
        var status = now.Any(g => g.Status is GenerationStatus.Failed or GenerationStatus.Canceled) ? "failed"
            : now.All(g => g.Status == GenerationStatus.Succeeded) ? "succeeded"
            : now.Any(g => g.Status is GenerationStatus.Running or GenerationStatus.Succeeded) ? "running"
            : "queued";
        var progress = now.Average(g => g.Status == GenerationStatus.Succeeded ? 1 : Math.Clamp(g.Progress, 0, 1));
        var sounds = manifest.Sounds.Select((s, i) => new KitSoundDto(s.Role, s.Prompt, now[i])).ToList();
        return new KitDto(id, manifest.Prompt, manifest.Engine, manifest.Seed, status, Math.Round(progress, 3), sounds);
    }

    private static string Key(string id) => $"kits/{id}.json";

    // "k" + 24 lower-case hex digits: anything else is no kit (and never reaches the blob store as a key).
    private static bool IsId(string id) => id.Length == 25 && id[0] == 'k' && id.AsSpan(1).IndexOfAnyExcept("0123456789abcdef") < 0;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KitService.Manifest))]
internal sealed partial class KitJson : JsonSerializerContext;
