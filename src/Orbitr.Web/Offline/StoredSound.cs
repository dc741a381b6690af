namespace Orbitr.Web.Offline;

/// <summary>A sound kept in the browser (js/sounds.js): its sample source, size in bytes, when it was stored (ms since
/// 1970), its name, and whether it is an offline upload still waiting for the server (the only copy there is).
/// A class with settable properties: it crosses JS interop in a trimmed app.</summary>
public sealed class StoredSound
{
    public string Source { get; set; } = "";
    public long Bytes { get; set; }
    public double Stored { get; set; }
    public string? Name { get; set; }
    public bool Pending { get; set; }
}
