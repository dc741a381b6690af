using System.Text.Json;
using Microsoft.JSInterop;
using Orbitr.Web.Server;
using Orbitr.Web.State;

namespace Orbitr.Web.Library;

/// <summary>The user's generation jobs, newest first, each followed until it finishes. Holds the panel's state; the
/// panel only renders it.</summary>
public sealed class GenerationList(OrbitrApi api, Notices notices, IJSRuntime js)
{
    private IJSObjectReference? _events;
    public const int MaxShown = 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly List<Generation> _jobs = [];

    public IReadOnlyList<Generation> Jobs => _jobs;
    /// <summary>The last refusal (rate limit, quota, invalid prompt, offline), shown under the form.</summary>
    public ApiProblem? LastProblem { get; private set; }
    /// <summary>When a 429 says the user may try again.</summary>
    public DateTimeOffset? RetryAt { get; private set; }
    public bool Submitting { get; private set; }

    public event Action? Changed;
    /// <summary>A job made a sample (id): the library refreshes.</summary>
    public event Action<Generation>? Succeeded;

    public async Task SubmitAsync(string prompt, double durationSeconds, string quality, uint? seed)
    {
        Submitting = true;
        Changed?.Invoke();
        try
        {
            var result = await api.GenerateAsync(new GenerationRequestBody { Prompt = prompt, DurationSeconds = durationSeconds, Quality = quality, Seed = seed });
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
            Generation? job;
            try
            {
                job = JsonSerializer.Deserialize(json, ApiJsonContext.Default.Generation);
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

    private void Finish(Generation job)
    {
        if (job.Status == "succeeded") Succeeded?.Invoke(job);
        Changed?.Invoke();
    }

    private void Replace(Generation job)
    {
        var i = _jobs.FindIndex(j => j.Id == job.Id);
        if (i >= 0) _jobs[i] = job;
    }
}
