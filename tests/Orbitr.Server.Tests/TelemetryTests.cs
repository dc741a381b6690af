using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orbitr.Server.Telemetry;
using Orbitr.Tests.Waiting;
using static Orbitr.Server.Tests.GenerationsApiTests;

namespace Orbitr.Server.Tests;

/// <summary>Orbitr's traces and metrics, read with the real listeners of System.Diagnostics (no mocks). Each test has its
/// own server; its measurements are told apart from other servers in the process by the meter's scope (the server's
/// <see cref="IMeterFactory"/>), and its activities by the generation id.</summary>
public class TelemetryTests
{
    private const string Meter = OrbitrTelemetry.Name;

    private sealed record Seen(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Listens to one server's "Orbitr.Server" meter and to every "generation" activity in the process.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener meters = new();
        private readonly ActivityListener activities;
        private readonly ConcurrentQueue<Seen> seen = new();
        private readonly ConcurrentQueue<Activity> stopped = new();

        public Recorder(ConfiguredOrbitrFactory server)
        {
            var scope = server.Services.GetRequiredService<IMeterFactory>();
            meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Meter && ReferenceEquals(instrument.Meter.Scope, scope)) listener.EnableMeasurementEvents(instrument);
            };
            meters.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Enqueue(new Seen(i.Name, v, TagsOf(tags))));
            meters.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue(new Seen(i.Name, v, TagsOf(tags))));
            meters.Start();
            activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == OrbitrTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(activities);
        }

        private static Dictionary<string, object?> TagsOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var all = new Dictionary<string, object?>();
            foreach (var (k, v) in tags) all[k] = v;
            return all;
        }

        public List<Seen> Of(string instrument) => seen.Where(s => s.Instrument == instrument).ToList();

        public long Count(string instrument, string tag, string value) =>
            (long)Of(instrument).Where(s => Equals(s.Tags.GetValueOrDefault(tag), value)).Sum(s => s.Value);

        /// <summary>Collects the observable gauge now and returns what it reported (null: nothing).</summary>
        public double? QueueLength()
        {
            var before = Of("orbitr.generation.queue.length").Count;
            meters.RecordObservableInstruments();
            var all = Of("orbitr.generation.queue.length");
            return all.Count > before ? all[^1].Value : null;
        }

        /// <summary>The stopped "generation" activity of this generation, waited for (it ends just after the status does).</summary>
        public async Task<Activity> GenerationActivityAsync(string id) =>
            (await Eventually.ValueAsync(
                () => stopped.FirstOrDefault(a => a.OperationName == "generation" && (string?)a.GetTagItem("orbitr.generation.id") == id),
                found => found is not null, TimeSpan.FromSeconds(10), $"the stopped generation activity of {id}"))!;

        public void Dispose()
        {
            meters.Dispose();
            activities.Dispose();
        }
    }

    private static async Task<string> SubmitAsync(HttpClient client, string prompt, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var post = await client.PostAsync("/api/generations", Body(JsonSerializer.Serialize(new { prompt, durationSeconds = 1.0, quality = "draft", seed = 3 })));
        Assert.Equal(expected, post.StatusCode);
        return (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static string Status(JsonElement g) => g.GetProperty("status").GetString()!;

    private static string Unique(string prompt) => $"{prompt} {Guid.NewGuid():N}";

    [Fact]
    public async Task A_generation_records_one_duration_measurement_and_a_generation_activity_and_audio_requests_are_counted()
    {
        await using var server = new ConfiguredOrbitrFactory(null);
        using var recorder = new Recorder(server);
        var client = server.CreateClient();
        var id = await SubmitAsync(client, Unique("telemetry tom"));
        var done = await WaitFinishedAsync(client, id);
        Assert.Equal("succeeded", Status(done));

        var duration = Assert.Single(recorder.Of("orbitr.generation.duration"));
        Assert.Equal("synth", duration.Tags["engine"]);
        Assert.Equal(GenerationOutcome.Succeeded, duration.Tags["outcome"]);
        Assert.True(duration.Value is > 0 and < 30, $"duration {duration.Value} s");

        var activity = await recorder.GenerationActivityAsync(id);
        Assert.Equal("synth", activity.GetTagItem("orbitr.generation.engine"));
        Assert.Equal("draft", activity.GetTagItem("orbitr.generation.quality"));
        Assert.Equal(1.0, activity.GetTagItem("orbitr.generation.duration_seconds"));
        Assert.Equal(GenerationOutcome.Succeeded, activity.GetTagItem("orbitr.generation.outcome"));
        Assert.Equal(ActivityStatusCode.Ok, activity.Status);

        var sampleId = done.GetProperty("sampleId").GetString()!;
        Assert.Empty(recorder.Of("orbitr.samples.audio.requests"));
        (await client.GetAsync($"/api/samples/{sampleId}/audio")).EnsureSuccessStatusCode();
        (await client.GetAsync($"/api/samples/{sampleId}/audio")).EnsureSuccessStatusCode();
        Assert.Equal(2, recorder.Of("orbitr.samples.audio.requests").Sum(s => s.Value));
    }

    [Fact]
    public async Task A_new_request_is_a_cache_miss_and_the_same_request_again_a_hit()
    {
        await using var server = new ConfiguredOrbitrFactory(null);
        using var recorder = new Recorder(server);
        var client = server.CreateClient();
        var prompt = Unique("telemetry clap");
        var id = await SubmitAsync(client, prompt);
        Assert.Equal(1, recorder.Count("orbitr.generation.cache", "result", "miss"));
        Assert.Equal(0, recorder.Count("orbitr.generation.cache", "result", "hit"));
        Assert.Equal("succeeded", Status(await WaitFinishedAsync(client, id)));

        await SubmitAsync(client, prompt, HttpStatusCode.OK);
        await SubmitAsync(server.CreateClient(), prompt.ToUpperInvariant(), HttpStatusCode.OK);
        Assert.Equal(2, recorder.Count("orbitr.generation.cache", "result", "hit"));
        Assert.Equal(1, recorder.Count("orbitr.generation.cache", "result", "miss"));
        Assert.Single(recorder.Of("orbitr.generation.duration")); // answered from the cache: no second run
    }

    [Fact]
    public async Task A_generation_past_its_time_limit_records_outcome_timeout()
    {
        var engine = new GatedEngine(); // never opened: only the time limit ends it
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:TimeoutSeconds"] = "0.000001" }, engine);
        using var recorder = new Recorder(server);
        var client = server.CreateClient();
        var id = await SubmitAsync(client, Unique("telemetry slow pad"));
        var done = await WaitFinishedAsync(client, id);
        Assert.Equal(2001, done.GetProperty("errorCode").GetInt32());

        var duration = Assert.Single(recorder.Of("orbitr.generation.duration"));
        Assert.Equal("synth", duration.Tags["engine"]);
        Assert.Equal(GenerationOutcome.Timeout, duration.Tags["outcome"]);
        var activity = await recorder.GenerationActivityAsync(id);
        Assert.Equal(GenerationOutcome.Timeout, activity.GetTagItem("orbitr.generation.outcome"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
    }

    [Fact]
    public async Task A_canceled_generation_records_outcome_canceled()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(null, engine);
        using var recorder = new Recorder(server);
        var client = server.CreateClient();
        var id = await SubmitAsync(client, Unique("telemetry canceled"));
        await WaitForAsync(client, id, g => Status(g) == "running");
        Assert.Equal("canceled", Status(await (await client.DeleteAsync($"/api/generations/{id}")).Content.ReadFromJsonAsync<JsonElement>()));
        var activity = await recorder.GenerationActivityAsync(id);
        Assert.Equal(GenerationOutcome.Canceled, activity.GetTagItem("orbitr.generation.outcome"));
        var duration = Assert.Single(recorder.Of("orbitr.generation.duration"));
        Assert.Equal(GenerationOutcome.Canceled, duration.Tags["outcome"]);
    }

    [Fact]
    public async Task The_queue_length_gauge_reports_waiting_generations_and_zero_once_they_ran()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:MaxConcurrentJobs"] = "1" }, engine);
        using var recorder = new Recorder(server);
        var client = server.CreateClient();
        Assert.Equal(0, recorder.QueueLength());

        var first = await SubmitAsync(client, Unique("telemetry queue one"));
        await WaitForAsync(client, first, g => Status(g) == "running");
        var waiting = new[] { await SubmitAsync(client, Unique("telemetry queue two")), await SubmitAsync(client, Unique("telemetry queue three")) };
        Assert.Equal(2, await GaugeAsync(recorder, n => n == 2));

        engine.Open();
        foreach (var id in waiting.Prepend(first)) Assert.Equal("succeeded", Status(await WaitFinishedAsync(client, id)));
        Assert.Equal(0, await GaugeAsync(recorder, n => n == 0));
    }

    /// <summary>Reads the gauge until it says what is expected (its value is reused for a second), failing after 10 s.</summary>
    private static Task<double> GaugeAsync(Recorder recorder, Func<double, bool> expected) =>
        Eventually.ValueAsync(() =>
        {
            var n = recorder.QueueLength();
            Assert.NotNull(n);
            Assert.True(n >= 0, $"queue length {n}");
            return n.Value;
        }, expected, TimeSpan.FromSeconds(10), "the queue length gauge to report the expected value", TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task The_queue_length_is_reused_for_a_moment_so_collections_do_not_each_read_the_database()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:MaxConcurrentJobs"] = "1" }, engine);
        using var recorder = new Recorder(server);
        var client = server.CreateClient();
        var running = await SubmitAsync(client, Unique("telemetry window one"));
        await WaitForAsync(client, running, g => Status(g) == "running");
        // One attempt: a fresh read that counts a queued job, the job cancelled (the database now says 0), a second read.
        // The claim is about a second read within the window, so an attempt slower than the window (a slow machine)
        // proves nothing and is made again with a new job until one fits; that one is always asserted on.
        var attempts = 0;
        async Task<(double? Again, TimeSpan Elapsed)> AttemptAsync()
        {
            var queued = await SubmitAsync(client, Unique($"telemetry window two {++attempts}"));
            var read = Stopwatch.StartNew();
            // After an earlier attempt the gauge may still be reusing its 0: the read that first says 1 is a fresh one
            // (the window starts when it begins).
            await Eventually.TrueAsync(() =>
            {
                read.Restart();
                return recorder.QueueLength() == 1;
            }, TimeSpan.FromSeconds(10), "the gauge to count the queued job");
            Assert.Equal("canceled", Status(await (await client.DeleteAsync($"/api/generations/{queued}")).Content.ReadFromJsonAsync<JsonElement>()));
            var again = recorder.QueueLength();
            var elapsed = read.Elapsed;
            Assert.Equal(0, await GaugeAsync(recorder, n => n == 0));
            return (again, elapsed);
        }
        var fit = await Eventually.ValueAsync(AttemptAsync, a => a.Elapsed < OrbitrTelemetry.QueueLengthMaxAge * 0.9, TimeSpan.FromSeconds(60),
            "an attempt whose second read came within the reuse window (again, elapsed)");
        // Within the window the value read a moment ago is reported again (the database now says 0).
        Assert.Equal(1, fit.Again);
        engine.Open();
    }

    [Fact]
    public async Task Without_telemetry_settings_no_OpenTelemetry_provider_or_exporter_is_registered()
    {
        await using var server = new ConfiguredOrbitrFactory(null);
        Assert.Null(server.Services.GetService<TracerProvider>());
        Assert.Null(server.Services.GetService<MeterProvider>());
        Assert.NotNull(server.Services.GetService<OrbitrTelemetry>());
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task With_the_console_exporter_the_server_starts_and_answers()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Telemetry:Console"] = "true" });
        var client = server.CreateClient();
        Assert.NotNull(server.Services.GetService<TracerProvider>());
        Assert.NotNull(server.Services.GetService<MeterProvider>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
        var id = await SubmitAsync(client, Unique("telemetry console"));
        Assert.Equal("succeeded", Status(await WaitFinishedAsync(client, id)));
        Assert.True(server.Services.GetRequiredService<TracerProvider>().ForceFlush(5000));
        Assert.True(server.Services.GetRequiredService<MeterProvider>().ForceFlush(5000));
    }

    [Fact]
    public async Task An_unreachable_OTLP_endpoint_does_not_break_requests_or_shutdown()
    {
        // A loopback port that nothing listens on: every export fails.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Telemetry:Otlp:Endpoint"] = $"http://127.0.0.1:{port}" });
        try
        {
            var client = server.CreateClient();
            Assert.NotNull(server.Services.GetService<TracerProvider>());
            Assert.NotNull(server.Services.GetService<MeterProvider>());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
            var id = await SubmitAsync(client, Unique("telemetry otlp"));
            Assert.Equal("succeeded", Status(await WaitFinishedAsync(client, id)));
            // Exports fail (nothing listens) without throwing, and the server goes on answering.
            server.Services.GetRequiredService<TracerProvider>().ForceFlush(5000);
            server.Services.GetRequiredService<MeterProvider>().ForceFlush(5000);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/generations/{id}")).StatusCode);
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await server.DisposeAsync();
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(30), $"shutdown took {stopping.Elapsed}");
        }
    }

    [Fact]
    public async Task A_malformed_OTLP_endpoint_is_refused_at_start_up()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Telemetry:Otlp:Endpoint"] = "not a url" });
        var e = Assert.ThrowsAny<Exception>(() => server.Services);
        Assert.Contains("Orbitr:Telemetry:Otlp:Endpoint", e.ToString());
    }
}
