using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pluma.Mpm.Common;

/// <summary>
/// The one form in which the parent hands a child its generation's settings: the clamped and
/// run-adjusted settings record, serialised into <see cref="ChildEnvironment.Settings"/> as
/// <c>v1;event;Key=Value;...</c>. Written here by the parent and read here by the child, which
/// trusts it: a child neither re-reads nor re-clamps the MPM directives. The version changes
/// whenever the form does (parent and child are the same binary, but a stale child of an older
/// binary must fail loudly rather than guess).
/// </summary>
public static class ChildSettingsVariable
{
    private const string Version = "v1";

    public static string Write(MpmSettings settings)
    {
        var sb = new StringBuilder(Version).Append(';').Append(settings.Name);
        foreach (var (key, value) in settings.Values())
        {
            sb.Append(';').Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    public static MpmSettings Read(string value, Func<string, MpmDefinition?> named)
    {
        string[] parts = value.Split(';');
        if (parts.Length < 2 || parts[0] != Version)
        {
            throw new FormatException($"MPM settings of an unknown version: '{value}'");
        }

        MpmDefinition mpm = named(parts[1]) ?? throw new FormatException($"unknown MPM '{parts[1]}'");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 2; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            map[parts[i][..eq]] = parts[i][(eq + 1)..];
        }

        return mpm.FromValues(map).WithSharedValues(map);
    }

    internal static int Int(IReadOnlyDictionary<string, string> values, string key) =>
        int.Parse(values[key], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
