namespace Orbitr.Core.Validation;

/// <summary>One problem in a pattern, located by its JSON path (e.g. <c>tracks[1].steps[3].velocity</c>).</summary>
public sealed record PatternError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
