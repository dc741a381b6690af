using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Orbitr.Server.Hosting;

namespace Orbitr.Server.Tests;

public class HostingTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/some/page")]
    public async Task Page_routes_serve_the_app_shell_with_its_static_rings(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("_framework/blazor.webassembly.js", html);
        // The static shell draws 6 rings × 16 steps before the runtime loads.
        Assert.Equal(96, html.Split("class=\"step off\"").Length - 1);
        Assert.DoesNotContain("<script>", html);               // no inline script (the CSP forbids it)
        Assert.True(response.Headers.CacheControl?.NoCache);   // the shell is revalidated; fingerprinted files are immutable
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        foreach (var path in new[] { "/", "/api/health", "/js/audio.js", "/api/nope" })
        {
            var response = await factory.CreateClient().GetAsync(path);
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.DoesNotContain("'unsafe-inline'", SecurityHeaders.ContentSecurityPolicy.Split(';').Single(d => d.Trim().StartsWith("script-src")));
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task Framework_files_are_served_compressed()
    {
        // Cache lifetimes apply to the published app (checked by the end-to-end tests); a build serves with no-cache.
        var client = factory.CreateClient();
        var html = await client.GetStringAsync("/_framework/blazor.webassembly.js");
        Assert.NotEmpty(html);
        var manifest = await client.GetStringAsync("/_framework/dotnet.js");
        var wasm = System.Text.RegularExpressions.Regex.Match(manifest, @"dotnet\.native\.[a-z0-9]+\.wasm").Value;
        Assert.NotEmpty(wasm);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/_framework/{wasm}");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        var body = await factory.CreateClient().GetStringAsync("/api/health");
        Assert.Contains("\"status\":\"ok\"", body);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        var deps = doc.RootElement.GetProperty("dependencies").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d);
        Assert.Equal(["blobs", "cache", "database", "engines", "queue"], deps.Keys.Order());
        Assert.All(deps.Values, d => Assert.Equal("up", d.GetProperty("status").GetString()));
        Assert.Equal(Environment.GetEnvironmentVariable("ORBITR_TEST_DATABASE") == "postgres" ? "postgres" : "sqlite", deps["database"].GetProperty("detail").GetString());
        Assert.Contains("synth", deps["engines"].GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/missing.js")]
    [InlineData("/_framework/missing.wasm")]
    public async Task Unknown_files_and_api_paths_are_not_found(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/patterns/abc", true)]
    [InlineData("/api/health", false)]
    [InlineData("/api", false)]
    [InlineData("/_framework/x", false)]
    [InlineData("/css/app.css", false)]
    public void Page_routes_are_paths_without_a_file_extension_outside_api_and_framework(string path, bool page) =>
        Assert.Equal(page, AppShellFallback.IsPageRoute(path));
}
