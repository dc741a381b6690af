using Orbitr.Contracts;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Api;
using Orbitr.Web.Audio;
using Orbitr.Web.State;

namespace Orbitr.Web.Library;

/// <summary>"Generate kit": one prompt → the server's seven matched sounds (POST /api/kits), followed until made, then
/// put on the rings in one edit (one undo level restores the previous sounds): kick, snare, closed hat, open hat,
/// clap, perc, bass on rings 1–7 (a seventh ring is added when the pattern has fewer), the two hats in one choke
/// group so the closed hat cuts the open one.</summary>
public sealed class KitGeneration(OrbitrApiClient api, PatternState store, AudioEngine audio, SampleShelf shelf, Notices notices, TimeProvider clock)
{
    /// <summary>The choke group the kit's hats share.</summary>
    public const int HatChoke = 1;

    public KitDto? Current { get; private set; }
    public ApiProblem? Problem { get; private set; }
    public bool Busy { get; private set; }

    /// <summary>How often the kit is asked for while its sounds are made.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public event Action? Changed;

    public async Task GenerateAsync(string prompt, string quality, uint? seed, string engine)
    {
        if (Busy) return;
        Busy = true;
        Problem = null;
        Current = null;
        Changed?.Invoke();
        try
        {
            var posted = await api.GenerateKitAsync(new GenerationRequest(prompt, engine, 1, quality, seed));
            if (posted.Value is not { } kit)
            {
                Problem = posted.Problem;
                return;
            }
            while (true)
            {
                // A made kit is on the rings before it is shown as made.
                if (kit.Status == "succeeded") Apply(kit);
                Current = kit;
                Changed?.Invoke();
                if (kit.Finished) break;
                await Task.Delay(PollInterval, clock);
                var now = await api.KitAsync(kit.Id);
                if (now.Value is null)
                {
                    Problem = now.Problem;
                    return;
                }
                kit = now.Value;
            }
            if (kit.Status != "succeeded")
            {
                var failed = kit.Sounds.FirstOrDefault(s => s.Generation.Status != "succeeded");
                Problem = new ApiProblem(failed?.Generation.ErrorCode ?? ErrorCodes.GenerationFailed, "The kit could not be made",
                    failed is null ? "a sound failed" : $"the {failed.Role} ({failed.Prompt}) failed: {failed.Generation.Error ?? failed.Generation.Status}");
            }
        }
        finally
        {
            Busy = false;
            Changed?.Invoke();
        }
    }

    /// <summary>Puts a made kit on the rings, in one edit.</summary>
    public void Apply(KitDto kit)
    {
        store.Dispatch(p => OnRings(p, kit));
        foreach (var sound in kit.Sounds)
            if (sound.Generation.SampleId is { } id)
                notices.Run(() => shelf.AddGeneratedAsync(id, kit.Seed), ErrorCodes.Offline, $"\"{sound.Prompt}\" could not be added to the sample library");
        var pattern = store.Pattern;
        notices.Run(() => audio.PrepareSamplesAsync(pattern), ErrorCodes.AudioDecodeFailed, "The kit's sounds could not be loaded for playing");
        notices.Info("Kit ready", $"\"{kit.Prompt}\": {string.Join(", ", kit.Sounds.Select(s => s.Role))} are on rings 1–{kit.Sounds.Count}. Undo (Ctrl+Z) brings the previous sounds back.");
    }

    /// <summary>The pattern with the kit's sounds on rings 1…n in the server's order, the hats sharing <see cref="HatChoke"/>.</summary>
    public static Pattern OnRings(Pattern p, KitDto kit)
    {
        for (var i = 0; i < kit.Sounds.Count && i < Pattern.MaxTracks; i++)
        {
            var sound = kit.Sounds[i];
            if (sound.Generation.SampleId is not { } id) continue;
            while (p.Tracks.Count <= i) p = PatternEditor.AddTrack(p);
            p = PatternEditor.WithSample(p, SampleRef.Generated(id, sound.Prompt), out var key);
            p = PatternEditor.SetTrackSample(p, i, key);
            var hat = sound.Role is "closed-hat" or "open-hat";
            p = PatternEditor.UpdateTrack(p, i, t => t with { Choke = hat ? HatChoke : t.Choke == HatChoke ? null : t.Choke });
        }
        return p;
    }
}
