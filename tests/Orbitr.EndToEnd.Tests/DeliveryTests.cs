using System.Net;
using System.Text.RegularExpressions;

namespace Orbitr.EndToEnd.Tests;

[Collection(AppCollection.Name)]
public sealed class DeliveryTests(AppServer server)
{
    [Fact]
    public async Task Framework_files_are_brotli_compressed_and_fingerprinted_ones_cached_for_a_year()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(server.BaseUrl) };
        var dotnetJs = await http.GetStringAsync("/_framework/dotnet.js");
        var wasm = Regex.Match(dotnetJs, @"dotnet\.native\.[a-z0-9]+\.wasm").Value;
        Assert.NotEmpty(wasm);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/_framework/{wasm}");
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cache = response.Headers.CacheControl;
        if (server.Published)
        {
            Assert.Contains("br", response.Content.Headers.ContentEncoding);
            Assert.Equal(TimeSpan.FromDays(365), cache?.MaxAge);
            Assert.Contains("immutable", cache?.ToString());
        }
        else
        {
            Assert.Contains("gzip", response.Content.Headers.ContentEncoding); // a build has gzip only, served no-cache
            Assert.True(cache?.NoCache);
        }
        var shell = await http.GetAsync("/");
        Assert.True(shell.Headers.CacheControl?.NoCache); // the page itself is always revalidated
    }
}
