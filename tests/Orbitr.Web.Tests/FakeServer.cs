using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Orbitr.Web.Tests;

/// <summary>An Orbitr server in memory for bUnit: answers the calls the app makes with canned JSON and records every
/// request (method, path and query, body). An answer of null is a connection failure (offline).</summary>
public sealed class FakeServer : HttpMessageHandler
{
    public sealed record Request(HttpMethod Method, string Path, string Body);

    private readonly ConcurrentQueue<Request> _requests = new();

    /// <summary>GET /api/engines; null = the server cannot be reached.</summary>
    public string? EnginesJson { get; set; } = """[{"name":"synth","modelVersion":"synth-1","minDurationSeconds":0.1,"maxDurationSeconds":10,"qualities":["draft","hq"],"available":true,"problem":null}]""";
    /// <summary>GET /api/samples; null = the server cannot be reached.</summary>
    public string? SamplesJson { get; set; } = """{"items":[],"total":0}""";
    /// <summary>GET /api/samples/{id}, by id (others are 404).</summary>
    public Dictionary<string, string> SampleJson { get; } = [];
    /// <summary>The generation POST /api/generations and GET /api/generations/{id} answer with; null = the server
    /// cannot be reached.</summary>
    public string? GenerationJson { get; set; } = """{"id":"g1","status":"succeeded","progress":1,"position":0,"prompt":"dusty lo-fi kick","engine":"synth","durationSeconds":2,"quality":"draft","seed":1,"cached":false}""";

    /// <summary>What POST /api/kits answers, then GET /api/kits/{id} answers each in turn (the last one repeats).</summary>
    public List<string> KitJson { get; } = [];

    private int _kitReads;

    public IReadOnlyList<Request> Requests => [.. _requests];

    public int Count(string method, string path) => Requests.Count(r => r.Method.Method == method && r.Path == path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        _requests.Enqueue(new Request(request.Method, path, body));
        var json = (request.Method.Method, path) switch
        {
            ("GET", "api/engines") => EnginesJson,
            ("POST", "api/owners") => """{"token":"owner-token"}""",
            ("GET", "api/samples") => SamplesJson,
            ("POST", "api/generations") => GenerationJson,
            ("GET", _) when path.StartsWith("api/samples/", StringComparison.Ordinal) => SampleJson.GetValueOrDefault(path["api/samples/".Length..], ""),
            ("GET", _) when path.StartsWith("api/generations/", StringComparison.Ordinal) => GenerationJson,
            ("POST", "api/kits") => KitJson.Count > 0 ? KitJson[0] : "",
            ("GET", _) when path.StartsWith("api/kits/", StringComparison.Ordinal) && KitJson.Count > 0 =>
                KitJson[Math.Min(Interlocked.Increment(ref _kitReads), KitJson.Count - 1)],
            _ => "",
        };
        if (json is null) throw new HttpRequestException("connection refused (fake server offline)");
        if (json.Length == 0) return new HttpResponseMessage(HttpStatusCode.NotFound);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
