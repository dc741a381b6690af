using System.Globalization;

namespace Orbitr.Core.Model;

public enum TrigConditionKind { Ratio, First, NotFirst, Fill, NotFill }

/// <summary>When a step plays, as on an Elektron box: <c>"A:B"</c> (in cycle c of its ring when c mod B = A − 1),
/// <c>"first"</c> (only c = 0), <c>"!first"</c> (c &gt; 0), <c>"fill"</c> / <c>"!fill"</c> (only while the fill switch
/// is held / only while it is not). A step plays when its condition holds and its probability fires.</summary>
public readonly record struct TrigCondition(TrigConditionKind Kind, int A = 1, int B = 1)
{
    public const int MaxB = 8;

    public static TrigCondition Ratio(int a, int b) => new(TrigConditionKind.Ratio, a, b);

    public static readonly TrigCondition First = new(TrigConditionKind.First);
    public static readonly TrigCondition NotFirst = new(TrigConditionKind.NotFirst);
    public static readonly TrigCondition Fill = new(TrigConditionKind.Fill);
    public static readonly TrigCondition NotFill = new(TrigConditionKind.NotFill);

    /// <summary>Whether the step plays in cycle <paramref name="cycle"/> of its ring (counted from 0).</summary>
    public bool Holds(long cycle, bool fill) => Kind switch
    {
        TrigConditionKind.Ratio => B >= 1 && cycle % B == A - 1,
        TrigConditionKind.First => cycle == 0,
        TrigConditionKind.NotFirst => cycle > 0,
        TrigConditionKind.Fill => fill,
        _ => !fill,
    };

    /// <summary>1 ≤ A ≤ B ≤ 8 for a ratio; the others are always valid.</summary>
    public bool IsValid => Kind != TrigConditionKind.Ratio || (A >= 1 && A <= B && B <= MaxB);

    /// <summary>The JSON form: "A:B", "first", "!first", "fill", "!fill".</summary>
    public override string ToString() => Kind switch
    {
        TrigConditionKind.Ratio => string.Create(CultureInfo.InvariantCulture, $"{A}:{B}"),
        TrigConditionKind.First => "first",
        TrigConditionKind.NotFirst => "!first",
        TrigConditionKind.Fill => "fill",
        _ => "!fill",
    };

    /// <summary>Reads the JSON form; a ratio is returned even when out of range (check <see cref="IsValid"/>), so a
    /// reader can say which number is wrong.</summary>
    public static bool TryParse(string? text, out TrigCondition condition)
    {
        condition = default;
        switch (text)
        {
            case "first": condition = First; return true;
            case "!first": condition = NotFirst; return true;
            case "fill": condition = Fill; return true;
            case "!fill": condition = NotFill; return true;
        }
        if (text is null) return false;
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || text.Length > 9) return false;
        if (!int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var a)) return false;
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var b)) return false;
        condition = Ratio(a, b);
        return true;
    }
}
