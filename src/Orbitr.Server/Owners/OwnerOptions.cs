namespace Orbitr.Server.Owners;

/// <summary>The "Orbitr:Limits" configuration section: what one owner may store, and how fast.</summary>
public sealed class OwnerOptions
{
    public const string Section = "Orbitr:Limits";

    /// <summary>Audio an owner's library may hold, in MB (10⁶ bytes) of stored WAV.</summary>
    public double StorageMegabytesPerOwner { get; set; } = 200;

    /// <summary>New owners per client address per hour. A classroom or an office shares one address, each browser an
    /// owner of its own: 10 refused the eleventh pupil (issue 23); 300 still stops a script minting owners.</summary>
    public int OwnersPerHour { get; set; } = 300;

    /// <summary>Uploads per owner per minute.</summary>
    public int UploadsPerMinute { get; set; } = 20;

    /// <summary>Pattern saves (POST and PUT) per owner per minute.</summary>
    public int PatternSavesPerMinute { get; set; } = 20;

    public long StorageBytesPerOwner => (long)(StorageMegabytesPerOwner * 1_000_000);
}
