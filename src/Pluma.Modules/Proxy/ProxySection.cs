using System.Text.RegularExpressions;
using Pluma.Config;

namespace Pluma.Modules.Proxy;

/// <summary>A &lt;Proxy&gt; or &lt;ProxyMatch&gt; section: a URL pattern (wildcards or a regex) and its directives' records.</summary>
public sealed record ProxySection(string Pattern, Regex? Regex, ModuleConfigVector Config)
{
    /// <summary>proxy_walk: a regex section searches the URL, a wildcard one matches the whole URL, a plain one its prefix.</summary>
    public bool Matches(string url)
    {
        if (Regex is not null)
        {
            return Regex.IsMatch(url);
        }

        if (Pattern.AsSpan().IndexOfAny('*', '?', '[') >= 0)
        {
            return Wildcards.IsMatch(Pattern, url);
        }

        return url.StartsWith(Pattern, StringComparison.Ordinal);
    }
}
