using System.Text.Json;
using Microsoft.JSInterop;
using Orbitr.Contracts;
using Orbitr.Web.Api;
using Orbitr.Web.State;

namespace Orbitr.Web.Library;

/// <summary>The user's generation jobs, newest first, each followed until it finishes. Holds the panel's state; the
/// panel only renders it.</summary>
public sealed class GenerationList(OrbitrApiClient api, Notices notices, IJSRuntime js)
{
    private IJSObjectReference? _events;
    public const int MaxShown = 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly List<GenerationDto> _jobs = [];

    /// <summary>What the app assumes until the server lists its engines, or when it cannot be asked.</summary>
    private static readonly EngineDto SynthOnly = new(EngineInfo.Synth, ModelVersion: "", MinDurationSeconds: 0.1, MaxDurationSeconds: 10,
        Qualities: ["draft", "hq"], Available: true, Problem: null);
    /// <summary>After a failed read of the engine list, the next render asks again, but not sooner than this
    /// (typing while offline would otherwise ask once per keystroke).</summary>
    public TimeSpan EngineRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
    private Task? _enginesLoading;
    private long _enginesFailedAt; // Environment.TickCount64 of the last failed read; 0 = none

    public IReadOnlyList<GenerationDto> Jobs => _jobs;
    /// <summary>The engines the server is configured with (available or not); synth only until they are read.</summary>
    public IReadOnlyList<EngineDto> Engines { get; private set; } = [SynthOnly];
    public bool EnginesLoaded { get; private set; }
    /// <summary>The user chooses an engine only when the server has more than one that works.</summary>
    public bool OffersEngineChoice => Engines.Count(e => e.Available) > 1;
    /// <summary>The last refusal (rate limit, quota, invalid prompt, offline), shown under the form.</summary>
    public ApiProblem? LastProblem { get; private set; }
    /// <summary>When a 429 says the user may try again.</summary>
    public DateTimeOffset? RetryAt { get; private set; }
    public bool Submitting { get; private set; }

    public event Action? Changed;
    /// <summary>A job made a sample (id): the library refreshes.</summary>
    public event Action<GenerationDto>? Succeeded;

    /// <summary>Reads the server's engines once; a failure (offline, an older server) leaves "synth only", shows
    /// nothing, and is retried by a later call.</summary>
    public Task LoadEnginesAsync()
    {
        if (EnginesLoaded) return Task.CompletedTask;
        if (_enginesLoading is { IsCompleted: false } loading) return loading;
        if (_enginesFailedAt != 0 && Environment.TickCount64 - _enginesFailedAt < EngineRetryInterval.TotalMilliseconds) return Task.CompletedTask;
        return _enginesLoading = LoadAsync();

        async Task LoadAsync()
        {
            ApiResult<List<EngineDto>> result;
            try
            {
                // Off the renderer's synchronization context: nothing here touches a component, and the answer
                // re-renders through Changed (GenerationPanel hands that to its dispatcher).
                result = await Task.Run(api.EnginesAsync).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return; // the page (its HttpClient) went away meanwhile
            }
            if (result.Value is { Count: > 0 } engines)
            {
                Engines = engines;
                EnginesLoaded = true;
                Changed?.Invoke();
            }
            else _enginesFailedAt = Environment.TickCount64;
        }
    }

    /// <summary>The choice to send: the named engine when the user may choose and it works, otherwise "auto".</summary>
    public string EffectiveChoice(string choice) =>
        OffersEngineChoice && choice != EngineInfo.Auto && Engines.Any(e => e.Name == choice && e.Available) ? choice : EngineInfo.Auto;

    /// <summary>The engine a choice runs on: the named one, or for "auto" what the server picks (MusicGen when it
    /// works, else synth).</summary>
    public EngineDto EngineFor(string choice)
    {
        var available = Engines.Where(e => e.Available).ToList();
        return available.FirstOrDefault(e => e.Name == EffectiveChoice(choice))
            ?? available.FirstOrDefault(e => e.Name == EngineInfo.MusicGen)
            ?? available.FirstOrDefault(e => e.Name == EngineInfo.Synth)
            ?? available.FirstOrDefault()
            ?? SynthOnly;
    }

    public async Task SubmitAsync(string prompt, double durationSeconds, string quality, uint? seed, string engine = EngineInfo.Auto)
    {
        Submitting = true;
        Changed?.Invoke();
        try
        {
            var result = await api.GenerateAsync(new GenerationRequest(prompt, EffectiveChoice(engine), durationSeconds, quality, seed));
            LastProblem = result.Problem;
            RetryAt = result.Problem?.RetryAfterSeconds is { } s ? DateTimeOffset.UtcNow.AddSeconds(s) : null;
            if (result.Value is not { } job) return;
            notices.DismissCode(ErrorCodes.Offline);
            _jobs.RemoveAll(j => j.Id == job.Id);
            _jobs.Insert(0, job);
            if (_jobs.Count > MaxShown) _jobs.RemoveAt(_jobs.Count - 1);
            if (job.Finished) Finish(job);
            else _ = FollowAsync(job.Id);
        }
        finally
        {
            Submitting = false;
            Changed?.Invoke();
        }
    }

    public async Task CancelAsync(string id)
    {
        var result = await api.CancelAsync(id);
        if (result.Value is { } job) Replace(job);
        else LastProblem = result.Problem;
        Changed?.Invoke();
    }

    public void Remove(string id)
    {
        _jobs.RemoveAll(j => j.Id == id && j.Finished);
        Changed?.Invoke();
    }

    /// <summary>Follows a job by Server-Sent Events; if the stream ends before the job does (or EventSource is not
    /// there), polls instead.</summary>
    private async Task FollowAsync(string id)
    {
        if (!await StreamAsync(id)) await PollAsync(id);
    }

    private async Task<bool> StreamAsync(string id)
    {
        try
        {
            _events ??= await js.InvokeAsync<IJSObjectReference?>("import", "./js/events.js");
            if (_events is null) return false;
            var follower = new StreamFollower(this, id);
            using var self = DotNetObjectReference.Create(follower);
            var handle = await _events.InvokeAsync<IJSObjectReference?>("follow", $"api/generations/{Uri.EscapeDataString(id)}/events", self);
            if (handle is null) return false;
            await follower.Ended.Task;
            await handle.InvokeVoidAsync("stop");
            await handle.DisposeAsync();
            return follower.SawFinished;
        }
        catch (JSException)
        {
            return false;
        }
    }

    /// <summary>Receives one job's events from events.js.</summary>
    public sealed class StreamFollower(GenerationList list, string id)
    {
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool SawFinished { get; private set; }

        [JSInvokable]
        public void OnUpdate(string json)
        {
            GenerationDto? job;
            try
            {
                job = JsonSerializer.Deserialize(json, OrbitrJsonContext.Default.GenerationDto);
            }
            catch (JsonException)
            {
                return;
            }
            if (job is null || job.Id != id) return;
            list.Replace(job);
            if (job.Finished && !SawFinished)
            {
                SawFinished = true;
                list.Finish(job);
            }
            list.Changed?.Invoke();
        }

        [JSInvokable]
        public void OnClosed() => Ended.TrySetResult();
    }

    /// <summary>Polls the job (4 times a second) until it finishes; a lost connection shows 3001 and keeps trying.</summary>
    private async Task PollAsync(string id)
    {
        var failures = 0;
        while (true)
        {
            await Task.Delay(PollInterval);
            if (_jobs.All(j => j.Id != id)) return;
            var result = await api.GenerationAsync(id);
            if (result.Value is { } job)
            {
                failures = 0;
                Replace(job);
                if (job.Finished)
                {
                    Finish(job);
                    return;
                }
            }
            else if (++failures == 8 && result.Problem is { } p)
                notices.Error(p.Code, p.Title, p.Detail, "The job keeps running on the server; its result appears when the server is back.");
            Changed?.Invoke();
        }
    }

    private void Finish(GenerationDto job)
    {
        if (job.Status == "succeeded") Succeeded?.Invoke(job);
        Changed?.Invoke();
    }

    private void Replace(GenerationDto job)
    {
        var i = _jobs.FindIndex(j => j.Id == job.Id);
        if (i >= 0) _jobs[i] = job;
    }
}
