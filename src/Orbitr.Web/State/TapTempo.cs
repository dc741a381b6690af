namespace Orbitr.Web.State;

/// <summary>Tap tempo: the BPM of the average interval between recent taps. A pause longer than
/// <see cref="ResetAfterSeconds"/> starts a new count.</summary>
public sealed class TapTempo
{
    public const double ResetAfterSeconds = 2;
    private const int MaxTaps = 8;
    private readonly List<double> _taps = [];

    /// <summary>Records a tap at <paramref name="seconds"/> (any monotonic clock); the tempo once there are two taps.</summary>
    public double? Tap(double seconds)
    {
        if (_taps.Count > 0 && (seconds - _taps[^1] > ResetAfterSeconds || seconds <= _taps[^1])) _taps.Clear();
        _taps.Add(seconds);
        if (_taps.Count > MaxTaps) _taps.RemoveAt(0);
        if (_taps.Count < 2) return null;
        var interval = (_taps[^1] - _taps[0]) / (_taps.Count - 1);
        return Math.Round(Math.Clamp(60 / interval, Core.Model.Pattern.MinBpm, Core.Model.Pattern.MaxBpm), 1);
    }
}
