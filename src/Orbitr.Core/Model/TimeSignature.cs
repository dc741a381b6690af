namespace Orbitr.Core.Model;

/// <summary>Bar grouping for display, metronome accent and MIDI export.</summary>
public sealed record TimeSignature(int Numerator = 4, int Denominator = 4)
{
    public const int MinNumerator = 1, MaxNumerator = 16;
    public static readonly IReadOnlyList<int> Denominators = [2, 4, 8, 16];
    public static readonly TimeSignature Common = new();

    /// <summary>Sixteenth steps in one bar.</summary>
    public int StepsPerBar => Numerator * 16 / Denominator;

    public override string ToString() => $"{Numerator}/{Denominator}";
}
