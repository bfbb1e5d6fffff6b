using System.Globalization;
using Pluma.Http;

namespace Pluma.Modules.Rewrite;

/// <summary>[CO=NAME:VALUE:DOMAIN[:LIFETIME[:PATH[:SECURE[:HTTPONLY[:SAMESITE]]]]]] as add_cookie writes it.</summary>
internal static class RewriteCookie
{
    public static string Build(string spec, HttpRequestHeaders requestHeaders)
    {
        _ = requestHeaders;
        char sep = ':';
        if (spec.Length > 0 && spec[0] == ';')
        {
            // "CO=;NAME;VALUE;..." lets the value hold colons (2.4.x).
            sep = ';';
            spec = spec[1..];
        }

        string[] f = spec.Split(sep);
        if (f.Length < 3 || f[0].Length == 0)
        {
            return string.Empty;
        }

        string cookie = f[0] + "=" + f[1] + "; path=" + (f.Length > 4 && f[4].Length > 0 ? f[4] : "/") + "; domain=" + f[2];
        if (f.Length > 3 && f[3].Length > 0)
        {
            long minutes = RewriteEngine.Atoi(f[3]);
            if (minutes != 0)
            {
                DateTime expires = DateTime.UtcNow.AddMinutes(minutes);
                cookie += "; expires=" + expires.ToString("ddd, dd-MMM-yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
            }
        }

        if (f.Length > 5 && IsTrue(f[5], "secure"))
        {
            cookie += "; secure";
        }

        if (f.Length > 6 && IsTrue(f[6], "HttpOnly"))
        {
            cookie += "; HttpOnly";
        }

        if (f.Length > 7 && f[7].Length > 0 && !f[7].Equals("false", StringComparison.OrdinalIgnoreCase) && f[7] != "0")
        {
            cookie += "; SameSite=" + f[7];
        }

        return cookie;
    }

    private static bool IsTrue(string v, string word) =>
        v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" || v.Equals(word, StringComparison.OrdinalIgnoreCase);
}
