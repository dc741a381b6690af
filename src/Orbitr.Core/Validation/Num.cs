using System.Globalization;

namespace Orbitr.Core.Validation;

/// <summary>Formats numbers for messages the same way on every machine.</summary>
internal static class Num
{
    public static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string F(long value) => value.ToString(CultureInfo.InvariantCulture);
}
