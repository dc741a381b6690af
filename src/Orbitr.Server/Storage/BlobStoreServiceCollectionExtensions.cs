namespace Orbitr.Server.Storage;

public static class BlobStoreServiceCollectionExtensions
{
    /// <summary>The blob store configuration asks for ("Orbitr:Blobs:Provider"): files under the data folder by default.</summary>
    public static IServiceCollection AddOrbitrBlobs(this IServiceCollection services, IConfiguration configuration, OrbitrOptions options)
    {
        var provider = configuration["Orbitr:Blobs:Provider"] ?? "files";
        switch (provider.ToLowerInvariant())
        {
            case "files":
                services.AddSingleton<IBlobStore>(new FileBlobStore(Path.Combine(options.FullDataPath, "blobs")));
                break;
            default:
                throw new InvalidOperationException($"Orbitr:Blobs:Provider \"{provider}\" is not supported (files is)");
        }
        return services;
    }
}
