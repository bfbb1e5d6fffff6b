using System.Collections.Generic;
using System.Text;

namespace Pluma.Admin;

/// <summary>
/// Rewrites Debian's <c>mods-available/mpm_NAME.conf</c> with new MPM sizing (<c>pluma -k advise
/// --apply</c>), in Debian's style: the comment header stays (one <c># Directive: what it does</c>
/// line per directive, missing ones added after the last), the advisor's reasons follow it as
/// comments, and the directives keep their place (inside an &lt;IfModule&gt; if the file has one),
/// their indentation and Debian's column. Everything else in the file stays as it was.
/// </summary>
public static class MpmConfFile
{
    /// <summary>Marks the comment lines the advisor writes, so that the next run replaces them.</summary>
    public const string NotePrefix = "# pluma -k advise: ";

    // Debian writes the value in column 25 (the name padded to 24).
    private const int ValueColumn = 24;

    // The sizing directives the advisor owns (and their Apache 2.2 names, replaced as well).
    private static readonly HashSet<string> s_sizing = new(StringComparer.OrdinalIgnoreCase)
    {
        "StartServers", "MinSpareServers", "MaxSpareServers", "MinSpareThreads", "MaxSpareThreads", "ThreadLimit",
        "ThreadsPerChild", "ServerLimit", "MaxRequestWorkers", "MaxClients", "MaxConnectionsPerChild", "MaxRequestsPerChild",
    };

    // Debian's wording for the header lines (mpm_event.conf, mpm_worker.conf, mpm_prefork.conf).
    private static readonly Dictionary<string, string> s_descriptions = new(StringComparer.Ordinal)
    {
        ["StartServers"] = "initial number of server processes to start",
        ["MinSpareServers"] = "minimum number of server processes which are kept spare",
        ["MaxSpareServers"] = "maximum number of server processes which are kept spare",
        ["MinSpareThreads"] = "minimum number of worker threads which are kept spare",
        ["MaxSpareThreads"] = "maximum number of worker threads which are kept spare",
        ["ThreadLimit"] = "ThreadsPerChild can be changed to this maximum value during a graceful restart",
        ["ThreadsPerChild"] = "constant number of worker threads in each server process",
        ["ServerLimit"] = "maximum number of server processes; changed only by stopping and starting",
        ["MaxRequestWorkers"] = "maximum number of simultaneous connections served",
        ["MaxConnectionsPerChild"] = "maximum number of requests a server process serves",
    };

    /// <summary>
    /// The file's new text: <paramref name="existing"/> (null or empty: a new file with Debian's
    /// header for <paramref name="mpm"/>) with <paramref name="directives"/> in place of the old
    /// sizing lines and <paramref name="notes"/> as comments under the header.
    /// </summary>
    public static string Rewrite(string? existing, string mpm, IReadOnlyList<(string Directive, int Value)> directives, IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(mpm);
        ArgumentNullException.ThrowIfNull(directives);
        ArgumentNullException.ThrowIfNull(notes);
        string text = string.IsNullOrEmpty(existing) ? $"# {mpm} MPM\n" : existing.Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = new List<string>(text.Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // The header: the leading comment lines (Debian's description of each directive).
        int headerEnd = 0;
        while (headerEnd < lines.Count && lines[headerEnd].TrimStart().StartsWith('#'))
        {
            headerEnd++;
        }

        var header = new List<string>();
        int lastDescription = -1;
        var described = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < headerEnd; i++)
        {
            string line = lines[i];
            if (line.StartsWith(NotePrefix.TrimEnd(), StringComparison.Ordinal))
            {
                continue;
            }

            header.Add(line);
            if (DescribedName(line) is string name)
            {
                described.Add(name);
                lastDescription = header.Count - 1;
            }
            else if (lastDescription >= 0 && lastDescription == header.Count - 2
                && (line.StartsWith("#\t", StringComparison.Ordinal) || line.StartsWith("#  ", StringComparison.Ordinal)))
            {
                // The continuation lines of a description (worker's ThreadLimit) belong to it.
                lastDescription = header.Count - 1;
            }
        }

        var missing = new List<string>();
        foreach ((string directive, _) in directives)
        {
            if (!described.Contains(directive) && s_descriptions.TryGetValue(directive, out string? what))
            {
                missing.Add($"# {directive}: {what}");
            }
        }

        header.InsertRange(lastDescription >= 0 ? lastDescription + 1 : header.Count, missing);
        foreach (string note in notes)
        {
            header.Add(NotePrefix + note);
        }

        // The body: the sizing lines go, the new block takes the first one's place and indentation.
        var body = new List<string>();
        int insertAt = -1;
        string indent = string.Empty;
        for (int i = headerEnd; i < lines.Count; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            int end = trimmed.IndexOfAny([' ', '\t']);
            string first = end < 0 ? trimmed : trimmed[..end];
            if (first.Length > 0 && s_sizing.Contains(first))
            {
                if (insertAt < 0)
                {
                    insertAt = body.Count;
                    indent = line[..(line.Length - trimmed.Length)];
                }

                // A value continued on the next lines (a trailing backslash) goes with its directive.
                while (lines[i].TrimEnd().EndsWith('\\') && i + 1 < lines.Count)
                {
                    i++;
                }

                continue;
            }

            body.Add(line);
        }

        if (insertAt < 0)
        {
            insertAt = body.Count;
        }

        var block = new List<string>();
        foreach ((string directive, int value) in directives)
        {
            block.Add(indent + directive.PadRight(Math.Max(ValueColumn, directive.Length + 1)) + value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        body.InsertRange(insertAt, block);
        var result = new StringBuilder();
        foreach (string line in header)
        {
            result.Append(line).Append('\n');
        }

        foreach (string line in body)
        {
            result.Append(line).Append('\n');
        }

        return result.ToString();
    }

    /// <summary>"# Name: text" names Name.</summary>
    private static string? DescribedName(string line)
    {
        ReadOnlySpan<char> rest = line.AsSpan(1).TrimStart();
        int colon = rest.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        ReadOnlySpan<char> name = rest[..colon];
        foreach (char c in name)
        {
            if (!char.IsAsciiLetter(c))
            {
                return null;
            }
        }

        return name.ToString();
    }
}
