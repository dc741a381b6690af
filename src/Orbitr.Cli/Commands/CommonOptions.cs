using System.CommandLine;
using System.Globalization;

namespace Orbitr.Cli.Commands;

/// <summary>Options shared by several commands, and numbers read one way everywhere: the invariant culture, no
/// thousands separators (System.CommandLine's own parse read "1,5" as 15), each refusal naming its option.</summary>
internal static class CommonOptions
{
    public const int MaxCycles = 100_000;

    public static Option<int> Cycles() =>
        Int(new Option<int>("--cycles", "-c") { Description = $"Cycles of the pattern (1–{MaxCycles})", DefaultValueFactory = _ => 1 }, 1, MaxCycles);

    /// <summary><c>--fill</c>: the fill switch held for the whole render (steps with a "fill" condition play, "!fill" ones rest).</summary>
    public static Option<bool> Fill() => new("--fill") { Description = "Hold the fill switch: steps with the fill condition play, !fill steps rest" };

    /// <summary><c>-o FILE</c>; <c>-</c> writes to standard output.</summary>
    public static Option<string> Output(string what) =>
        new("--output", "-o") { Description = $"{what} to write (- for standard output)", Required = true };

    /// <summary>A whole number min–max: digits with an optional sign, nothing else.</summary>
    public static Option<int> Int(Option<int> option, int min, int max)
    {
        option.CustomParser = r => (int)ParseInteger(r, option.Name, min, max);
        return option;
    }

    public static Option<int?> Int(Option<int?> option, int min, int max)
    {
        option.CustomParser = r => (int)ParseInteger(r, option.Name, min, max);
        return option;
    }

    public static Option<uint> UInt(Option<uint> option)
    {
        option.CustomParser = r => (uint)ParseInteger(r, option.Name, 0, uint.MaxValue);
        return option;
    }

    /// <summary>A decimal number min–max ("1.5", "2e-1"; not "1,5", NaN or infinity).</summary>
    public static Option<double> Double(Option<double> option, double min, double max, string unit = "")
    {
        option.CustomParser = r => ParseDouble(r, option.Name, min, max, unit);
        return option;
    }

    public static Option<float?> Float(Option<float?> option, double min, double max)
    {
        option.CustomParser = r => (float)ParseDouble(r, option.Name, min, max, "");
        return option;
    }

    private static string Token(System.CommandLine.Parsing.ArgumentResult r) => r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;

    private static long ParseInteger(System.CommandLine.Parsing.ArgumentResult r, string name, long min, long max)
    {
        var text = Token(r);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        r.AddError($"{name} must be a whole number {Range(min, max)}, not {Quote(text)}");
        return 0;
    }

    private static double ParseDouble(System.CommandLine.Parsing.ArgumentResult r, string name, double min, double max, string unit)
    {
        var text = Token(r);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        r.AddError($"{name} must be a number {Range(min, max)}{unit} (with a decimal point, e.g. 1.5), not {Quote(text)}");
        return 0;
    }

    private static string Range(double min, double max) =>
        string.Create(CultureInfo.InvariantCulture, $"{min}–{max}");

    private static string Quote(string text) => text.Length == 0 ? "nothing" : $"\"{text}\"";
}
