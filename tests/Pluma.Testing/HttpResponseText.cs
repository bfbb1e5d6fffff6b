using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Pluma.Testing;

/// <summary>A response as read off the wire: status line, headers in order, body bytes.</summary>
public sealed record HttpResponseText(string StatusLine, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public byte[] Body { get; init; } = [];

    public string BodyText => Encoding.Latin1.GetString(Body);

    public string? Header(string name)
    {
        foreach (var (k, v) in Headers)
        {
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    public static HttpResponseText ParseHead(string head)
    {
        string[] lines = head.Split("\r\n");
        string statusLine = lines[0];
        string[] parts = statusLine.Split(' ', 3);
        int status = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 0;
        var headers = new List<KeyValuePair<string, string>>();
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..].Trim()));
            }
        }

        return new HttpResponseText(statusLine, status, headers);
    }
}
