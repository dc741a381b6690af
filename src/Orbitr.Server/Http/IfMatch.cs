using Microsoft.Extensions.Primitives;

namespace Orbitr.Server.Http;

/// <summary>The If-Match precondition of RFC 9110 §13.1.1: <c>*</c> (any current representation) or a list of entity
/// tags compared strongly (a weak tag <c>W/"…"</c> never matches). Parsed from every If-Match field line of a request
/// (several lines are one comma-separated list).</summary>
public sealed class IfMatch
{
    private readonly string[] _tags; // strong tags, with their quotes

    private IfMatch(bool any, string[] tags)
    {
        Any = any;
        _tags = tags;
    }

    public bool Any { get; }

    /// <summary>Does a resource whose current strong ETag is <paramref name="current"/> (with quotes) satisfy it?</summary>
    public bool Matches(string current) => Any || Array.IndexOf(_tags, current) >= 0;

    public enum Parse { Absent, Malformed, Ok }

    /// <summary>Reads the field lines. Malformed: not <c>*</c> alone nor a list of entity tags (unquoted, unterminated,
    /// a character an entity tag may not hold, <c>*</c> inside a list, or nothing at all).</summary>
    public static Parse TryParse(StringValues lines, out IfMatch? condition, out string? problem)
    {
        condition = null;
        problem = null;
        if (lines.Count == 0)
            return Parse.Absent;
        var value = string.Join(",", lines.Select(l => l ?? ""));
        if (value.Trim(' ', '\t') == "*")
        {
            condition = new IfMatch(true, []);
            return Parse.Ok;
        }
        var tags = new List<string>();
        var i = 0;
        while (true)
        {
            // #rule: empty elements and optional whitespace around commas are allowed.
            while (i < value.Length && value[i] is ' ' or '\t' or ',') i++;
            if (i == value.Length) break;
            var weak = false;
            if (value[i] == 'W' && i + 1 < value.Length && value[i + 1] == '/')
            {
                weak = true;
                i += 2;
            }
            if (i >= value.Length || value[i] != '"')
            {
                problem = value[i..].StartsWith('*') ? "* must stand alone, not inside a list of entity tags" : $"expected a quoted entity tag at character {i + 1}";
                return Parse.Malformed;
            }
            var start = i++;
            // etagc = %x21 / %x23-7E / obs-text
            while (i < value.Length && value[i] != '"' && (value[i] == 0x21 || value[i] is >= (char)0x23 and <= (char)0x7E || value[i] is >= (char)0x80 and <= (char)0xFF)) i++;
            if (i >= value.Length || value[i] != '"')
            {
                problem = i >= value.Length ? "an entity tag is not closed with a double quote" : $"an entity tag may not hold the character at {i + 1}";
                return Parse.Malformed;
            }
            i++;
            if (!weak) tags.Add(value[start..i]);
            while (i < value.Length && value[i] is ' ' or '\t') i++;
            if (i < value.Length && value[i] != ',')
            {
                problem = $"expected a comma after the entity tag at character {i + 1}";
                return Parse.Malformed;
            }
        }
        if (tags.Count == 0 && !value.Contains('"'))
        {
            problem = "the field is empty; send * or the ETag you loaded";
            return Parse.Malformed;
        }
        condition = new IfMatch(false, [.. tags]);
        return Parse.Ok;
    }
}
