using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Orbitr.Server.Tests;

/// <summary>Owner authentication (the "Owner" scheme) from the endpoint data source: every /api route either needs an
/// owner (authorization metadata) or is listed here as open, and every route that needs one answers 401 code 4006
/// without a known token — so a new route cannot forget to choose.</summary>
public class OwnerRoutesTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    /// <summary>Routes anyone may call (PUT /api/patterns/{id} takes an owner's token or an edit token: its handler decides).</summary>
    private static readonly string[] Open =
    [
        "GET /api/health", "GET /api/engines", "POST /api/owners",
        "GET /api/samples/{id}", "GET /api/samples/{id}/audio", "HEAD /api/samples/{id}/audio",
        "GET /api/generations/{id}", "GET /api/generations/{id}/events",
        "GET /api/patterns/{id}", "PUT /api/patterns/{id}", "GET /api/patterns/{id}/render",
        "GET /api/songs/{id}", "GET /api/songs/{id}/render", // as a pattern: whoever has the link reads and renders it
    ];

    /// <summary>Routes that act for an owner (docs/architecture.md, the route table).</summary>
    private static readonly string[] Owned =
    [
        "GET /api/owners/me", "DELETE /api/owners/me",
        "GET /api/samples", "POST /api/samples", "DELETE /api/samples/{id}",
        "POST /api/generations", "DELETE /api/generations/{id}",
        "POST /api/kits", "GET /api/kits/{id}",
        "POST /api/patterns", "POST /api/songs",
    ];

    private sealed record Route(string Method, string Pattern, bool NeedsOwner)
    {
        public string Key => $"{Method} {Pattern}";
    }

    private List<Route> ApiRoutes()
    {
        var routes = new List<Route>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal)) continue;
            var needsOwner = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                routes.Add(new Route(method, pattern, needsOwner));
        }
        return routes;
    }

    [Fact]
    public void Every_api_route_either_needs_an_owner_or_is_listed_as_open()
    {
        var routes = ApiRoutes();
        Assert.NotEmpty(routes);
        var undecided = routes.Where(r => !r.NeedsOwner && !Open.Contains(r.Key)).Select(r => r.Key).ToList();
        Assert.True(undecided.Count == 0,
            $"these routes neither .RequireAuthorization() nor are listed as open: {string.Join(", ", undecided)}");
        Assert.Equal(Owned.Order(), routes.Where(r => r.NeedsOwner).Select(r => r.Key).Order());
        Assert.DoesNotContain(routes, r => r.NeedsOwner && Open.Contains(r.Key));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("unknown")]
    [InlineData("deleted")]
    [InlineData("not bearer")]
    public async Task Every_route_that_needs_an_owner_answers_401_code_4006_without_a_known_token(string token)
    {
        var client = factory.CreateAnonymousClient();
        string? bearer = null;
        if (token == "unknown") bearer = "this-is-no-owner-token-" + Guid.NewGuid().ToString("N");
        else if (token == "deleted")
        {
            bearer = ConfiguredOrbitrFactory.NewOwnerToken(client);
            using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/owners/me");
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(delete)).StatusCode);
        }
        var owned = ApiRoutes().Where(r => r.NeedsOwner).ToList();
        Assert.NotEmpty(owned);
        foreach (var route in owned)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.Pattern, @"\{[^}]+\}", "s0123456789abcdef");
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if (token == "not bearer") request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
            if (route.Method is "POST" or "PUT") request.Content = JsonContent.Create(new { prompt = "kick" });
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Key} with {token} token: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(4006, problem.GetProperty("code").GetInt32());
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Equal(bearer is null ? "Owner token required" : "Unknown owner token", problem.GetProperty("title").GetString());
            Assert.Contains("POST /api/owners", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_known_owner_token_passes_every_route_that_needs_an_owner()
    {
        var client = factory.CreateClient();
        foreach (var route in ApiRoutes().Where(r => r.NeedsOwner && r.Key != "DELETE /api/owners/me"))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.Pattern, @"\{[^}]+\}", "s0123456789abcdef");
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode != HttpStatusCode.Unauthorized, $"{route.Key}: 401 for a known owner");
        }
    }

    [Fact]
    public async Task Putting_a_pattern_without_a_token_is_401_code_4006()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/patterns/p0123456789abcdef") { Content = JsonContent.Create(new { }) };
        using var response = await factory.CreateAnonymousClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(4006, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }
}

/// <summary>The API's records (Orbitr.Contracts) go through one source-generated context on the server, and what the
/// server writes is what the web app and the CLI read with it.</summary>
public class ContractsTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    [Fact]
    public void The_server_writes_the_api_records_with_the_contracts_context()
    {
        var options = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
        Assert.Contains(Orbitr.Contracts.OrbitrJsonContext.Default, options.SerializerOptions.TypeInfoResolverChain);
        // Every record the endpoints answer with is resolved by the contracts context, not by reflection.
        foreach (var type in new[]
                 {
                     typeof(Orbitr.Contracts.CreatedOwner), typeof(Orbitr.Contracts.OwnerUsageDto), typeof(Orbitr.Contracts.SampleDto),
                     typeof(Orbitr.Contracts.SamplePage), typeof(Orbitr.Contracts.SavedPattern), typeof(Orbitr.Contracts.PatternVersion),
                     typeof(Orbitr.Contracts.GenerationDto), typeof(Orbitr.Contracts.EngineDto[]), typeof(Orbitr.Contracts.HealthReport),
                 })
            Assert.Same(Orbitr.Contracts.OrbitrJsonContext.Default, options.SerializerOptions.GetTypeInfo(type).OriginatingResolver);
    }

    [Fact]
    public async Task What_the_server_answers_reads_back_with_the_contracts_context()
    {
        var client = factory.CreateClient();
        var context = Orbitr.Contracts.OrbitrJsonContext.Default;
        var engines = await client.GetFromJsonAsync("/api/engines", context.EngineDtoArray);
        Assert.Contains(engines!, e => e.Name == Orbitr.Contracts.EngineDto.Synth && e.Available);
        using var post = await client.PostAsJsonAsync("/api/generations", new Orbitr.Contracts.GenerationRequest("dusty kick", "synth", 0.5), context.GenerationRequest);
        Assert.True(post.IsSuccessStatusCode, post.StatusCode.ToString());
        var job = await post.Content.ReadFromJsonAsync(context.GenerationDto);
        Assert.Equal("dusty kick", job!.Prompt);
        Assert.Equal(0u, job.Seed);
        var usage = await client.GetFromJsonAsync("/api/owners/me", context.OwnerUsageDto);
        Assert.True(usage!.QuotaBytes > 0);
        var page = await client.GetFromJsonAsync("/api/samples", context.SamplePage);
        Assert.Equal(1, page!.Page);
        // The wire stays camelCase and leaves a null seed out.
        var json = System.Text.Json.JsonSerializer.Serialize(new Orbitr.Contracts.GenerationRequest("kick"), context.GenerationRequest);
        Assert.Equal("""{"prompt":"kick","engine":"auto","durationSeconds":2,"quality":"draft"}""", json);
    }
}
