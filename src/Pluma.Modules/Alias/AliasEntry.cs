using System.Text.RegularExpressions;

namespace Pluma.Modules.Alias;

/// <summary>
/// One Alias, ScriptAlias, AliasMatch, Redirect* or RedirectMatch line (mod_alias's alias_entry):
/// the URL-path or pattern, the target (file system path or URL; null for "gone" redirects),
/// and for redirects the status.
/// </summary>
public sealed record AliasEntry(string Fake, string? Real, Regex? Pattern, int Status, string? Handler = null)
{
    public bool IsRegex => Pattern is not null;
}
