using System.Collections.Generic;
using System.IO;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>The RewriteMap types Pluma serves (txt, rnd, int); prg, dbm, dbd and fastdbd are refused when read.</summary>
public enum RewriteMapType
{
    Text,
    Random,
    Internal,
}

/// <summary>One RewriteMap: its name, type and file (or internal function).</summary>
public sealed class RewriteMapDefinition
{
    public RewriteMapDefinition(string name, RewriteMapType type, string source)
    {
        Name = name;
        Type = type;
        Source = source;
    }

    public string Name { get; }

    public RewriteMapType Type { get; }

    /// <summary>The file of a txt or rnd map, or the function name of an int map.</summary>
    public string Source { get; }

    // The file's lines as key → value, read again when the file's modification time changes
    // (Apache's map cache does the same). Replaced whole, so readers on other threads see one
    // consistent table.
    private volatile TextMapSnapshot? _snapshot;

    internal TextMapSnapshot? Snapshot
    {
        get => _snapshot;
        set => _snapshot = value;
    }
}

internal sealed record TextMapSnapshot(DateTime LastWriteUtc, long Size, Dictionary<string, string> Entries);

/// <summary>lookup_map: ${name:key} for the serving server's maps.</summary>
internal static class RewriteMaps
{
    public static readonly string[] InternalFunctions = ["tolower", "toupper", "escape", "unescape"];

    public static string? Lookup(RewriteContext ctx, string name, string key)
    {
        RequestRecord r = ctx.Request;
        if (!ctx.Server.Maps.TryGetValue(name, out RewriteMapDefinition? map))
        {
            RewriteLog.Trace(r, 5, ctx.PerDir, "map lookup FAILED: map=" + name + " key=" + key);
            return null;
        }

        string? value;
        switch (map.Type)
        {
            case RewriteMapType.Internal:
                value = map.Source switch
                {
                    "tolower" => key.ToLowerInvariant(),
                    "toupper" => key.ToUpperInvariant(),
                    "escape" => SelfUrl.EscapePath(key),
                    _ => Unescape(key),
                };
                RewriteLog.Trace(r, 5, ctx.PerDir, "map lookup OK: map=" + name + " key=" + key + " -> val=" + value);
                return value;
            default:
                Dictionary<string, string>? entries = Entries(r, map);
                if (entries is null || !entries.TryGetValue(key, out value))
                {
                    RewriteLog.Trace(r, 5, ctx.PerDir, "map lookup FAILED: map=" + name + "[txt] key=" + key);
                    return null;
                }

                RewriteLog.Trace(r, 5, ctx.PerDir, "map lookup OK: map=" + name + "[txt] key=" + key + " -> val=" + value);
                if (map.Type == RewriteMapType.Random)
                {
                    string[] parts = value.Split('|');
                    value = parts[Random.Shared.Next(parts.Length)];
                    RewriteLog.Trace(r, 5, ctx.PerDir, "randomly chosen the subvalue `" + value + "'");
                }

                return value;
        }
    }

    /// <summary>ap_unescape_url as the int:unescape map uses it: %xx decoded, a bad escape left as it is.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('%', StringComparison.Ordinal))
        {
            return s;
        }

        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static Dictionary<string, string>? Entries(RequestRecord r, RewriteMapDefinition map)
    {
        FileStatus st = FileStatus.Of(map.Source);
        if (!st.Exists)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "rewrite", "AH00655: mod_rewrite: can't open text RewriteMap file " + map.Source, LogClient.Of(r));
            return null;
        }

        TextMapSnapshot? snap = map.Snapshot;
        if (snap is not null && snap.LastWriteUtc == st.LastWriteUtc && snap.Size == st.Size)
        {
            return snap.Entries;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(map.Source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "rewrite", "AH00655: mod_rewrite: can't open text RewriteMap file " + map.Source, LogClient.Of(r));
            return null;
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            // lookup_map_txtfile: comments and lines that start with white space are skipped;
            // the key is the first word, the value the second; the first line for a key wins.
            if (line.Length == 0 || line[0] == '#' || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            int k = 0;
            while (k < line.Length && !char.IsWhiteSpace(line[k]))
            {
                k++;
            }

            int v = k;
            while (v < line.Length && char.IsWhiteSpace(line[v]))
            {
                v++;
            }

            int e = v;
            while (e < line.Length && !char.IsWhiteSpace(line[e]))
            {
                e++;
            }

            if (e > v)
            {
                entries.TryAdd(line[..k], line[v..e]);
            }
        }

        map.Snapshot = new TextMapSnapshot(st.LastWriteUtc, st.Size, entries);
        return entries;
    }
}
