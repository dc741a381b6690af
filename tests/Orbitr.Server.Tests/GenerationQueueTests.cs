using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Orbitr.Server.Tests.GenerationsApiTests;

namespace Orbitr.Server.Tests;

/// <summary>The durable queue: bounded workers, positions, progress, cancel, timeout, limits and restarts. Each test
/// has its own server and data folder.</summary>
public class GenerationQueueTests
{
    private static async Task<string> SubmitAsync(HttpClient client, string prompt)
    {
        var post = await client.PostAsync("/api/generations", Body(JsonSerializer.Serialize(new { prompt })));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        return (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static string Status(JsonElement g) => g.GetProperty("status").GetString()!;

    [Fact]
    public async Task One_worker_runs_one_job_reports_positions_and_progress_and_cancels_queued_and_running_jobs()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:MaxConcurrentJobs"] = "1" }, engine);
        var client = server.CreateClient();
        var a = await SubmitAsync(client, "kick one");
        var running = await WaitForAsync(client, a, g => Status(g) == "running" && g.GetProperty("progress").GetDouble() >= 0.5);
        Assert.Equal(0, running.GetProperty("position").GetInt32());
        var b = await SubmitAsync(client, "snare two");
        var c = await SubmitAsync(client, "hat three");
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/generations/{b}")).GetProperty("position").GetInt32());
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>($"/api/generations/{c}")).GetProperty("position").GetInt32());
        // Kept fixed: a window in which a second job would have started if the bound did not hold (proving a nothing).
        await Task.Delay(300);
        Assert.Equal(1, engine.Started); // bounded: one at a time

        // Cancel the queued one: it never runs; the one behind it moves up.
        var canceledB = await (await client.DeleteAsync($"/api/generations/{b}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("canceled", Status(canceledB));
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/generations/{c}")).GetProperty("position").GetInt32());

        // Cancel the running one: its token fires, the gate is never passed, the next job starts.
        Assert.Equal("canceled", Status(await (await client.DeleteAsync($"/api/generations/{a}")).Content.ReadFromJsonAsync<JsonElement>()));
        await WaitForAsync(client, c, g => Status(g) == "running");
        engine.Open();
        var doneC = await WaitFinishedAsync(client, c);
        Assert.Equal("succeeded", Status(doneC));
        Assert.Equal("canceled", Status(await client.GetFromJsonAsync<JsonElement>($"/api/generations/{a}")));
        Assert.Equal("canceled", Status(await client.GetFromJsonAsync<JsonElement>($"/api/generations/{b}")));
        Assert.DoesNotContain("snare two", engine.Prompts);
        Assert.Equal(1, engine.Completed);
        var library = await client.GetFromJsonAsync<JsonElement>("/api/samples");
        Assert.Equal(1, library.GetProperty("total").GetInt32());

        // Cancelling a finished job changes nothing.
        Assert.Equal("succeeded", Status(await (await client.DeleteAsync($"/api/generations/{c}")).Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task Two_workers_run_two_jobs_at_once_and_an_identical_request_joins_the_job_under_way()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:MaxConcurrentJobs"] = "2" }, engine);
        var client = server.CreateClient();
        var ids = new[] { await SubmitAsync(client, "one"), await SubmitAsync(client, "two"), await SubmitAsync(client, "three") };
        await WaitForAsync(client, ids[1], g => Status(g) == "running");
        await WaitForAsync(client, ids[0], g => Status(g) == "running");
        // Kept fixed: a window in which a third job would have started if the bound did not hold (proving a nothing).
        await Task.Delay(300);
        Assert.Equal(2, engine.Started);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/generations/{ids[2]}")).GetProperty("position").GetInt32());
        Assert.Equal(ids[2], await SubmitAsync(client, "THREE"));
        engine.Open();
        foreach (var id in ids) Assert.Equal("succeeded", Status(await WaitFinishedAsync(client, id)));
        Assert.Equal(3, engine.Completed);
    }

    [Fact]
    public async Task Server_sent_events_carry_status_and_progress_until_the_job_finishes()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(null, engine);
        var client = server.CreateClient();
        var id = await SubmitAsync(client, "glass bell");
        using var response = await client.GetAsync($"/api/generations/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new List<JsonElement>();
        var opened = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var g = JsonSerializer.Deserialize<JsonElement>(line[6..]);
            seen.Add(g);
            if (!opened && Status(g) == "running" && g.GetProperty("progress").GetDouble() >= 0.5)
            {
                opened = true;
                engine.Open();
            }
        }
        Assert.Contains(seen, g => Status(g) == "running" && g.GetProperty("progress").GetDouble() is > 0 and < 1);
        Assert.Equal("succeeded", Status(seen[^1]));
        Assert.Equal(1.0, seen[^1].GetProperty("progress").GetDouble());
        var progress = seen.Select(g => g.GetProperty("progress").GetDouble()).ToList();
        Assert.Equal(progress.Order(), progress);
    }

    [Fact]
    public async Task Progress_never_goes_backwards_even_when_an_engine_restarts_its_count()
    {
        await using var server = new ConfiguredOrbitrFactory(null, new TwoStageEngine());
        var client = server.CreateClient();
        var id = await SubmitAsync(client, "two stage bell");
        using var response = await client.GetAsync($"/api/generations/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var progress = new List<double>();
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                progress.Add(JsonSerializer.Deserialize<JsonElement>(line[6..]).GetProperty("progress").GetDouble());
        Assert.Contains(0.6, progress);
        Assert.Equal(progress.Order(), progress);
        Assert.Equal(1.0, progress[^1]);
    }

    [Fact]
    public async Task A_job_past_its_time_limit_fails_with_code_2001()
    {
        var engine = new GatedEngine(); // never opened
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:TimeoutSeconds"] = "0.5" }, engine);
        var client = server.CreateClient();
        var id = await SubmitAsync(client, "slow pad");
        var done = await WaitFinishedAsync(client, id);
        Assert.Equal("failed", Status(done));
        Assert.Equal(2001, done.GetProperty("errorCode").GetInt32());
        Assert.Contains("0.5 s", done.GetProperty("error").GetString());
        Assert.Null(done.GetProperty("sampleId").GetString());
    }

    [Fact]
    public async Task The_eleventh_request_in_a_minute_gets_429_with_retry_after_and_code_3003()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:RateLimitPermits"] = "10" });
        var client = server.CreateClient();
        for (var i = 0; i < 10; i++)
            Assert.True((await client.PostAsync("/api/generations", Body($$"""{"prompt":"kick {{i}}"}"""))).IsSuccessStatusCode);
        var limited = await client.PostAsync("/api/generations", Body("""{"prompt":"kick 11"}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(3003, await CodeOf(limited));
        var retry = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value.TotalSeconds, 1, 60);
        // Other endpoints are not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/samples")).StatusCode);
    }

    // Trusting a proxy (only the configured ones) is ForwardedHeadersTests'; here the header must change nothing.
    [Fact]
    public async Task Without_trusted_proxies_a_forwarded_address_is_ignored()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?>
        {
            ["Orbitr:Generation:RateLimitPermits"] = "1",
            ["Orbitr:TrustForwardedHeaders"] = "false",
        });
        var client = server.CreateClient();
        async Task<HttpStatusCode> From(string address, string prompt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generations") { Content = Body(JsonSerializer.Serialize(new { prompt })) };
            request.Headers.Add("X-Forwarded-For", address);
            return (await client.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Accepted, await From("203.0.113.1", "kick a"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await From("203.0.113.2", "kick b"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await From("203.0.113.1", "kick c"));
    }

    [Fact]
    public async Task The_daily_quota_stops_new_generations_with_code_2003_but_cache_hits_still_answer()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:DailyQuota"] = "2" });
        var client = server.CreateClient();
        var first = await SubmitAsync(client, "kick");
        await SubmitAsync(client, "snare");
        var over = await client.PostAsync("/api/generations", Body("""{"prompt":"clap"}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal(2003, await CodeOf(over));
        Assert.Contains("quota is 2", await over.Content.ReadAsStringAsync());
        await WaitFinishedAsync(client, first);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/generations", Body("""{"prompt":"kick"}"""))).StatusCode);
    }

    [Fact]
    public async Task Jobs_in_flight_when_the_server_stops_all_complete_after_a_restart_and_none_is_duplicated()
    {
        var data = Directory.CreateTempSubdirectory("orbitr-restart-").FullName;
        var held = new GatedEngine(); // the first process never gets past the gate
        var ids = new List<string>();
        var first = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:MaxConcurrentJobs"] = "2" }, held, data);
        var client = first.CreateClient();
        for (var i = 0; i < 5; i++) ids.Add(await SubmitAsync(client, $"restart sound {i}"));
        await WaitForAsync(client, ids[0], g => Status(g) == "running");
        await WaitForAsync(client, ids[1], g => Status(g) == "running");
        await first.DisposeAsync();

        try
        {
            await using var second = new ConfiguredOrbitrFactory(null, null, data);
            var client2 = second.CreateClient();
            client2.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization; // the same owner
            foreach (var id in ids)
            {
                // On the clustered PostgreSQL store the dead process's jobs are recovered once its check-in is
                // overdue (check-in 7.5 s + misfire threshold 15 s): give recovery room — this pins "none lost,
                // none duplicated", not a speed.
                var done = await WaitForAsync(client2, id, g => Status(g) is "succeeded" or "failed" or "canceled", seconds: 90);
                Assert.Equal("succeeded", Status(done));
            }
            // The first process's jobs wake up late: they must not store a second copy.
            held.Open();
            // Kept fixed: a window for a woken job of the first process to (wrongly) store something; nothing should.
            await Task.Delay(500);
            var library = await client2.GetFromJsonAsync<JsonElement>("/api/samples?pageSize=100");
            Assert.Equal(5, library.GetProperty("total").GetInt32());
            var sampleIds = new HashSet<string>();
            foreach (var id in ids)
                Assert.True(sampleIds.Add((await client2.GetFromJsonAsync<JsonElement>($"/api/generations/{id}")).GetProperty("sampleId").GetString()!));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
