using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;

namespace Pluma.FunctionalTests;

/// <summary>server-status?auto, parsed into its fields.</summary>
internal static class ServerStatus
{
    public static Dictionary<string, string> Auto(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        string text = client.GetStringAsync($"http://127.0.0.1:{port}/server-status?auto").Result;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon]] = line[(colon + 2)..];
            }
        }

        return fields;
    }

    public static int Int(this Dictionary<string, string> fields, string name) => int.Parse(fields[name], CultureInfo.InvariantCulture);
}
