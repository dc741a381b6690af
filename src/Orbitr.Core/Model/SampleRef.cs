namespace Orbitr.Core.Model;

/// <summary>Where audio comes from. <see cref="Local"/>: a sound kept only in the browser that added it (an upload made
/// offline, waiting for the server); once uploaded, patterns refer to it as <see cref="Generated"/>.</summary>
public enum SampleSourceKind { Builtin, File, Generated, Local }

/// <summary>Where a sample's audio comes from: <c>builtin:&lt;name&gt;</c>, <c>file:&lt;path relative to the pattern&gt;</c>,
/// <c>generated:&lt;sample id&gt;</c> or <c>local:&lt;browser id&gt;</c>.</summary>
public sealed record SampleRef(SampleSourceKind Kind, string Value, string? Name = null)
{
    public static SampleRef Builtin(string name) => new(SampleSourceKind.Builtin, name);
    public static SampleRef File(string path) => new(SampleSourceKind.File, path);
    public static SampleRef Generated(string id, string? name = null) => new(SampleSourceKind.Generated, id, name);
    public static SampleRef Local(string id, string? name = null) => new(SampleSourceKind.Local, id, name);

    public string Source => $"{Prefix(Kind)}:{Value}";

    public static string Prefix(SampleSourceKind kind) => kind switch
    {
        SampleSourceKind.Builtin => "builtin",
        SampleSourceKind.File => "file",
        SampleSourceKind.Local => "local",
        _ => "generated",
    };

    /// <summary>Parses a source string; null when it has no known prefix or an empty value.</summary>
    public static SampleRef? TryParse(string source, string? name = null)
    {
        var colon = source.IndexOf(':');
        if (colon <= 0 || colon == source.Length - 1) return null;
        var value = source[(colon + 1)..];
        return source[..colon] switch
        {
            "builtin" => new SampleRef(SampleSourceKind.Builtin, value, name),
            "file" => new SampleRef(SampleSourceKind.File, value, name),
            "generated" => new SampleRef(SampleSourceKind.Generated, value, name),
            "local" => new SampleRef(SampleSourceKind.Local, value, name),
            _ => null,
        };
    }

    public override string ToString() => Source;
}
