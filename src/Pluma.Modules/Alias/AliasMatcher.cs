using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Modules.Common;

namespace Pluma.Modules.Alias;

/// <summary>
/// mod_alias's matching rules as pure functions: alias_matches (prefix match where any run of
/// slashes matches any run of at least one slash, ending on a path component boundary),
/// ap_pregsub ($0-$9 and &amp;), and try_alias_list (first entry that matches wins).
/// </summary>
public static class AliasMatcher
{
    /// <summary>
    /// How many characters of <paramref name="uri"/> the URL-path <paramref name="fake"/> matches,
    /// or 0 when it does not: "/icons/" matches "/icons//a.gif" (8 chars), "/doc" matches
    /// "/doc/x" and "/doc" but not "/docs".
    /// </summary>
    public static int Matches(ReadOnlySpan<char> uri, ReadOnlySpan<char> fake)
    {
        int a = 0, u = 0;
        while (a < fake.Length)
        {
            if (fake[a] == '/')
            {
                if (u >= uri.Length || uri[u] != '/')
                {
                    return 0;
                }

                do
                {
                    a++;
                }
                while (a < fake.Length && fake[a] == '/');
                do
                {
                    u++;
                }
                while (u < uri.Length && uri[u] == '/');
            }
            else if (u >= uri.Length || uri[u++] != fake[a++])
            {
                return 0;
            }
        }

        if (fake.Length > 0 && fake[^1] != '/' && u < uri.Length && uri[u] != '/')
        {
            return 0;
        }

        return u;
    }

    /// <summary>ap_pregsub: $N is group N, &amp; the whole match, a backslash quotes the next character.</summary>
    public static string Substitute(string template, Match match)
    {
        var sb = new StringBuilder(template.Length + 32);
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            int group = -1;
            if (c == '&')
            {
                group = 0;
            }
            else if (c == '$' && i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]))
            {
                group = template[++i] - '0';
            }

            if (group < 0)
            {
                if (c == '\\' && i + 1 < template.Length)
                {
                    c = template[++i];
                }

                sb.Append(c);
            }
            else if (group < match.Groups.Count && match.Groups[group].Success)
            {
                sb.Append(match.Groups[group].ValueSpan);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// try_alias_list: the first entry of <paramref name="list"/> matching <paramref name="uri"/>
    /// and its target: for aliases the file name (target + rest of the URI), for redirects the
    /// URL (target + the rest of the URI escaped with ap_os_escape_path; a RedirectMatch result
    /// escaped as <see cref="SubstitutedUrl"/> says), null for a "gone" entry.
    /// </summary>
    public static AliasEntry? TryList(IReadOnlyList<AliasEntry> list, string uri, bool isRedirect, out string? target)
    {
        // Indexed, not foreach: a foreach over the interface boxes an enumerator on every request.
        for (int i = 0; i < list.Count; i++)
        {
            AliasEntry e = list[i];
            if (e.Pattern is Regex regex)
            {
                Match m = regex.Match(uri);
                if (!m.Success)
                {
                    continue;
                }

                target = e.Real is null ? null : Substitute(e.Real, m);
                if (isRedirect && target is not null)
                {
                    target = SubstitutedUrl.Escape(target);
                }

                return e;
            }

            int l = Matches(uri, e.Fake);
            if (l == 0)
            {
                continue;
            }

            if (e.Real is null)
            {
                target = null;
            }
            else
            {
                string rest = uri[l..];
                target = e.Real + (isRedirect ? SelfUrl.EscapePath(rest) : rest);
            }

            return e;
        }

        target = null;
        return null;
    }

    /// <summary>
    /// The Location value for a matched redirect: a bare path is made absolute from the request's
    /// host and port (ap_construct_url), and the request's query is appended unless the target
    /// has its own. Null when the result is not a URL (Apache answers 500, AH00673).
    /// </summary>
    public static string? BuildLocation(string target, string? query, string host, int port, bool secure = false)
    {
        string url = target.StartsWith('/') ? SelfUrl.Construct(host, port, target, secure) : target;
        if (!SelfUrl.IsUrl(url))
        {
            return null;
        }

        return query is not null && !url.Contains('?', StringComparison.Ordinal) ? url + "?" + query : url;
    }
}
