using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Orbitr.Server.Hosting;

/// <summary>The reverse proxies whose X-Forwarded-For is believed: <c>Orbitr:KnownProxies</c> (addresses) and
/// <c>Orbitr:KnownNetworks</c> (CIDR ranges), each a list or one comma-separated value. With neither, only loopback
/// (a proxy on the same machine). Only the nearest hop is taken (ForwardLimit 1), so a client's own header further
/// along the chain changes nothing.</summary>
public sealed record TrustedProxies(IReadOnlyList<IPAddress> Proxies, IReadOnlyList<System.Net.IPNetwork> Networks)
{
    public static TrustedProxies From(IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        foreach (var text in Values(configuration.GetSection("Orbitr:KnownProxies")))
            proxies.Add(IPAddress.TryParse(text, out var address) ? address
                : throw new InvalidOperationException($"Orbitr:KnownProxies: \"{text}\" is not an IP address"));
        var networks = new List<System.Net.IPNetwork>();
        foreach (var text in Values(configuration.GetSection("Orbitr:KnownNetworks")))
            networks.Add(System.Net.IPNetwork.TryParse(text, out var network) ? network
                : throw new InvalidOperationException($"Orbitr:KnownNetworks: \"{text}\" is not a network such as 10.0.0.0/8"));
        if (proxies.Count == 0 && networks.Count == 0)
        {
            networks.Add(new System.Net.IPNetwork(IPAddress.Loopback, 8));
            proxies.Add(IPAddress.IPv6Loopback);
        }
        return new TrustedProxies(proxies, networks);
    }

    public void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var p in Proxies) options.KnownProxies.Add(p);
        foreach (var n in Networks) options.KnownIPNetworks.Add(n);
    }

    private static IEnumerable<string> Values(IConfigurationSection section)
    {
        var all = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        return all.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
