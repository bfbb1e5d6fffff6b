using System.Collections.Frozen;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace Pluma.Modules.Status.Live;

/// <summary>
/// The files of <c>server-status?view=live</c>, embedded in the binary: the page
/// (<c>live.html</c>), its script and its style sheet, each served as its own sub-resource
/// (<c>?view=live&amp;asset=live.js</c>) so the page needs no inline script or style and can
/// be sent with a Content-Security-Policy that allows only same-origin files and requests.
/// </summary>
public static class LiveView
{
    /// <summary>Same origin only: the script, the style sheet and the ?json requests; nothing inline, no frames, no forms.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string PageName = "live.html";

    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> s_files = Load();

    /// <summary>The page (asset null or empty) or one of its files; null for a name the page does not have.</summary>
    public static (byte[] Body, string ContentType)? Find(string? asset) =>
        s_files.TryGetValue(string.IsNullOrEmpty(asset) ? PageName : asset, out var file) ? file : null;

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        Assembly assembly = typeof(LiveView).Assembly;
        foreach ((string name, string type) in (ReadOnlySpan<(string, string)>)[
            (PageName, "text/html; charset=utf-8"),
            ("live.js", "text/javascript; charset=utf-8"),
            ("live.css", "text/css; charset=utf-8")])
        {
            using Stream stream = assembly.GetManifestResourceStream("Pluma.Modules.Status.Live." + name)
                ?? throw new InvalidOperationException("the live view's " + name + " is not embedded");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), type);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
