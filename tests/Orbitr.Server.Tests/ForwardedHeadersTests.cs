using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Orbitr.Server.Tests;

/// <summary>Orbitr:TrustForwardedHeaders believes X-Forwarded-For only from the configured proxies (loopback by
/// default): a client that reaches the server directly cannot spoof its address to dodge per-client limits (issue 20).</summary>
public class ForwardedHeadersTests
{
    /// <summary>The server with the peer address of each request taken from X-Test-Peer (the in-process test server has none).</summary>
    private sealed class PeerFactory(Dictionary<string, string?> settings) : ConfiguredOrbitrFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddTransient<IStartupFilter, PeerFilter>());
        }
    }

    private sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, go) =>
            {
                if (context.Request.Headers["X-Test-Peer"] is [{ } peer]) context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
                return go(context);
            });
            next(app);
        };
    }

    private static Dictionary<string, string?> Settings(params (string, string)[] extra)
    {
        var s = new Dictionary<string, string?> { ["Orbitr:TrustForwardedHeaders"] = "true", ["Orbitr:Limits:OwnersPerHour"] = "2" };
        foreach (var (k, v) in extra) s[k] = v;
        return s;
    }

    /// <summary>Status codes of creating owners from <paramref name="peer"/>, each request claiming another forwarded address.</summary>
    private static async Task<List<HttpStatusCode>> CreateOwnersAsync(ConfiguredOrbitrFactory factory, string peer, int count)
    {
        var client = factory.CreateAnonymousClient();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/owners");
            request.Headers.Add("X-Test-Peer", peer);
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            codes.Add((await client.SendAsync(request)).StatusCode);
        }
        return codes;
    }

    [Fact]
    public async Task A_direct_client_cannot_spoof_its_address_but_a_loopback_proxy_is_believed()
    {
        await using var factory = new PeerFactory(Settings());
        // A client on the internet claiming a new address each time: still one client, limited after 2.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests],
            await CreateOwnersAsync(factory, "203.0.113.9", 3));
        // The proxy on this machine forwarding three different clients: three clients.
        Assert.All(await CreateOwnersAsync(factory, "127.0.0.1", 3), c => Assert.Equal(HttpStatusCode.Created, c));
    }

    [Fact]
    public async Task Configured_proxies_and_networks_replace_loopback()
    {
        await using var factory = new PeerFactory(Settings(("Orbitr:KnownProxies", "10.1.2.3"), ("Orbitr:KnownNetworks", "192.168.50.0/24, 172.20.0.0/16")));
        Assert.All(await CreateOwnersAsync(factory, "10.1.2.3", 3), c => Assert.Equal(HttpStatusCode.Created, c));
        Assert.All(await CreateOwnersAsync(factory, "192.168.50.7", 3), c => Assert.Equal(HttpStatusCode.Created, c));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await CreateOwnersAsync(factory, "127.0.0.1", 3))[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await CreateOwnersAsync(factory, "10.1.2.4", 3))[^1]);
    }

    [Fact]
    public async Task An_unparsable_proxy_setting_stops_the_server_with_a_message_naming_it()
    {
        await using var factory = new PeerFactory(Settings(("Orbitr:KnownProxies", "not-an-ip")));
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateAnonymousClient());
        Assert.Contains("Orbitr:KnownProxies", e.ToString());
    }
}
