using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>What a rule list did (mod_rewrite.c ACTION_*).</summary>
internal enum RewriteAction
{
    None = 0,
    Normal = 1,
    NoEscape = 2,
    Status = 3,
}

/// <summary>
/// mod_rewrite's rule engine (apply_rewrite_list, apply_rewrite_rule, apply_rewrite_cond):
/// works on <see cref="RequestRecord.Filename"/> and <see cref="RequestRecord.Args"/> as
/// Apache works on r->filename and r->args; the hooks decide what the result means.
/// </summary>
internal static class RewriteEngine
{
    // The note that carries [END] across internal redirects (Apache keeps it in r->pool, which
    // an internal redirect shares).
    internal const string EndNote = "mod_rewrite-end";
    internal const string ForcedTypeNote = "rewrite-forced-mimetype";
    internal const string ForcedHandlerNote = "rewrite-forced-handler";

    /// <summary>How long one regex match may take before the request fails (the ReDoS guard, PL00321).</summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public static RewriteAction ApplyList(RequestRecord r, System.Collections.Generic.IReadOnlyList<RewriteRuleEntry> rules, RewriteContext ctx, out int status)
    {
        status = 0;
        var changed = RewriteAction.None;
        int round = 1;
    Loop:
        for (int i = 0; i < rules.Count; i++)
        {
            RewriteRuleEntry p = rules[i];
            if (r.IsSubRequest && (p.Has(RuleFlags.IgnoreOnSubrequest) || p.Has(RuleFlags.ForceRedirect)))
            {
                continue;
            }

            ctx.Vary = null;
            int rc = ApplyRule(p, ctx, out int ruleStatus);
            if (rc < 0)
            {
                status = ruleStatus;
                return RewriteAction.Status;
            }

            if (rc > 0)
            {
                int limit = 2 * (r.Server.Core.LimitRequestLine ?? 8190);
                if (r.Filename is { } f && f.Length > limit)
                {
                    r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "RewriteRule '" + p.Pattern + "' and URI '" + r.Uri + "' exceeded maximum length (" + limit.ToString(CultureInfo.InvariantCulture) + ")", LogClient.Of(r));
                    status = 500;
                    return RewriteAction.Status;
                }

                if (ctx.Vary is not null)
                {
                    MergeVary(r, ctx.Vary);
                }

                if (p.Has(RuleFlags.Status))
                {
                    status = ruleStatus;
                    return RewriteAction.Status;
                }

                if (rc != 2)
                {
                    changed = p.Has(RuleFlags.NoEscape) ? RewriteAction.NoEscape : RewriteAction.Normal;
                    ctx.LastSubstitution = p;
                    RewriteLog.Trace(r, 8, ctx.PerDir, "setting lastsub to rule with output " + p.Output);
                }

                if (p.Has(RuleFlags.PassThrough))
                {
                    RewriteLog.Trace(r, 2, ctx.PerDir, "forcing '" + r.Filename + "' to get passed through to next API URI-to-filename handler");
                    r.Filename = "passthrough:" + r.Filename;
                    changed = RewriteAction.Normal;
                    break;
                }

                if (p.Has(RuleFlags.End))
                {
                    RewriteLog.Trace(r, 8, ctx.PerDir, "Rule has END flag, no further rewriting for this request");
                    r.Notes[EndNote] = "1";
                    break;
                }

                if (p.Has(RuleFlags.Proxy) || p.Has(RuleFlags.Last))
                {
                    break;
                }

                if (p.Has(RuleFlags.NewRound))
                {
                    if (++round >= p.Options.MaxRounds)
                    {
                        r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "AH02596: RewriteRule '" + p.Pattern + "' and URI '" + r.Uri + "' exceeded maximum number of rounds (" + p.Options.MaxRounds.ToString(CultureInfo.InvariantCulture) + ") via the [N] flag", LogClient.Of(r));
                        status = 500;
                        return RewriteAction.Status;
                    }

                    goto Loop;
                }

                if (p.Options.Skip > 0)
                {
                    i = Math.Min(rules.Count, i + p.Options.Skip);
                }
            }
            else
            {
                while (i < rules.Count - 1 && rules[i].Has(RuleFlags.Chain))
                {
                    i++;
                }
            }
        }

        return changed;
    }

    /// <summary>apply_rewrite_rule: 0 no match, 1 substituted, 2 matched without substitution ('-'), -1 a failure with <paramref name="status"/>.</summary>
    private static int ApplyRule(RewriteRuleEntry p, RewriteContext ctx, out int status)
    {
        status = 0;
        RequestRecord r = ctx.Request;
        string uri = r.Filename ?? r.Uri;
        bool isProxy = false;
        if (ctx.PerDir is { } perDir)
        {
            isProxy = r.Filename is not null && r.Filename.StartsWith("proxy:", StringComparison.Ordinal) && r.Handler == "proxy-server";
            if (!string.IsNullOrEmpty(r.PathInfo))
            {
                RewriteLog.Trace(r, 3, perDir, "add path info postfix: " + uri + " -> " + uri + r.PathInfo);
                uri += r.PathInfo;
            }

            if (!isProxy && uri.StartsWith(perDir, StringComparison.Ordinal))
            {
                RewriteLog.Trace(r, 3, perDir, "strip per-dir prefix: " + uri + " -> " + uri[perDir.Length..]);
                uri = uri[perDir.Length..];
            }
        }

        ctx.Uri = uri;
        RewriteLog.Trace(r, 3, ctx.PerDir, "applying pattern '" + p.Pattern + "' to uri '" + uri + "'");
        Match m;
        try
        {
            m = p.Regex.Match(uri);
        }
        catch (RegexMatchTimeoutException)
        {
            status = MatchTimedOut(r, p.Pattern);
            return -1;
        }

        if (m.Success == p.Has(RuleFlags.NotMatch))
        {
            return 0;
        }

        ctx.VaryThis = null;
        ctx.CondMatch = null;
        ctx.RuleMatch = p.Has(RuleFlags.NotMatch) ? null : m;
        for (int i = 0; i < p.Conditions.Count; i++)
        {
            RewriteCondEntry c = p.Conditions[i];
            int rc = ApplyCondition(c, ctx);
            if (rc < 0)
            {
                status = MatchTimedOut(r, c.Pattern);
                return -1;
            }

            if (c.Has(CondFlags.NoVary))
            {
                ctx.VaryThis = null;
            }

            if (c.Has(CondFlags.OrNext))
            {
                if (rc == 0)
                {
                    ctx.VaryThis = null;
                    continue;
                }

                while (i < p.Conditions.Count - 1 && p.Conditions[i].Has(CondFlags.OrNext))
                {
                    i++;
                }
            }
            else if (rc == 0)
            {
                return 0;
            }

            if (ctx.VaryThis is not null)
            {
                ctx.Vary = ctx.Vary is null ? ctx.VaryThis : ctx.Vary + ", " + ctx.VaryThis;
                ctx.VaryThis = null;
            }
        }

        string? newUri = null;
        if (!p.Has(RuleFlags.NoSub))
        {
            newUri = RewriteExpander.Expand(p.Output, ctx, p);
            RewriteLog.Trace(r, 2, ctx.PerDir, "rewrite '" + ctx.Uri + "' -> '" + newUri + "'");
        }

        ExpandEnvironment(p, ctx);
        ExpandCookies(p, ctx);
        if (p.Has(RuleFlags.NoSub))
        {
            ForceTypeHandler(p, ctx);
            if (p.Has(RuleFlags.Status))
            {
                RewriteLog.Trace(r, 2, ctx.PerDir, "forcing responsecode " + p.Options.ForcedStatus.ToString(CultureInfo.InvariantCulture) + " for " + r.Filename);
                status = p.Options.ForcedStatus;
            }

            return 2;
        }

        // 2.4.60: a '?' that came from a decoded "%3f" in the request may not start a query string.
        if (!p.Has(RuleFlags.UnsafeAllow3F) && newUri!.Contains('?', StringComparison.Ordinal)
            && r.Request.RawTarget.Contains("%3f", StringComparison.OrdinalIgnoreCase) && QuestionMarks(newUri) > QuestionMarks(p.Output))
        {
            r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "AH10508: Unsafe URL with %3f URL rewritten without UnsafeAllow3F", LogClient.Of(r));
            status = 403;
            return -1;
        }

        // Leading slashes merged, unless the substitution itself starts with two (2.4.x UNC).
        if (!(p.Output.Length > 1 && p.Output[0] == '/' && p.Output[1] == '/'))
        {
            int s = 0;
            while (s + 1 < newUri!.Length && newUri[s] == '/' && newUri[s + 1] == '/')
            {
                s++;
            }

            newUri = newUri[s..];
        }

        r.Filename = newUri;
        if (ctx.PerDir is not null && p.Has(RuleFlags.DiscardPathInfo))
        {
            r.PathInfo = null;
        }

        SplitQueryArgs(r, p.Flags, ctx.PerDir);
        if (ctx.PerDir is not null && !isProxy && !r.Filename!.StartsWith('/') && !RewriteUrl.IsAbsolute(r.Filename))
        {
            RewriteLog.Trace(r, 3, ctx.PerDir, "add per-dir prefix: " + r.Filename + " -> " + ctx.PerDir + r.Filename);
            r.Filename = ctx.PerDir + r.Filename;
        }

        if (p.Has(RuleFlags.Proxy))
        {
            if (ctx.PerDir is not null && !p.Has(RuleFlags.NoEscape))
            {
                string old = r.Filename!;
                r.Filename = SelfUrl.EscapePath(old);
                RewriteLog.Trace(r, 2, ctx.PerDir, "escaped URI in per-dir context for proxy, " + old + " -> " + r.Filename);
            }

            FullyQualify(r);
            RewriteLog.Trace(r, 2, ctx.PerDir, "forcing proxy-throughput with " + r.Filename);
            r.Filename = "proxy:" + r.Filename;
            return 1;
        }

        if (p.Has(RuleFlags.ForceRedirect))
        {
            FullyQualify(r);
            RewriteLog.Trace(r, 2, ctx.PerDir, "explicitly forcing redirect with " + r.Filename);
            ctx.RedirectStatus = p.Options.ForcedStatus;
            return 1;
        }

        ReduceUri(r, ctx);
        if (RewriteUrl.IsAbsolute(r.Filename!))
        {
            RewriteLog.Trace(r, 2, ctx.PerDir, "implicitly forcing redirect (rc=" + p.Options.ForcedStatus.ToString(CultureInfo.InvariantCulture) + " with " + r.Filename);
            ctx.RedirectStatus = p.Options.ForcedStatus;
            return 1;
        }

        ForceTypeHandler(p, ctx);
        return 1;
    }

    /// <summary>apply_rewrite_cond: 1 true, 0 false, -1 the regex timed out.</summary>
    private static int ApplyCondition(RewriteCondEntry c, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        string input = RewriteExpander.Expand(c.Input, ctx, null);
        bool rc;
        bool nc = c.Has(CondFlags.NoCase);
        switch (c.Type)
        {
            case CondPatternType.FileExists:
                rc = FileStatus.Of(input) is { Exists: true, IsDirectory: false } st && st.IsRegular;
                break;
            case CondPatternType.FileSize:
                rc = FileStatus.Of(input) is { Exists: true, IsDirectory: false } sz && sz.IsRegular && sz.Size > 0;
                break;
            case CondPatternType.FileLink:
                rc = input.Length > 0 && FileStatus.OfLink(input).IsSymlink;
                break;
            case CondPatternType.FileDir:
                rc = FileStatus.Of(input) is { Exists: true, IsDirectory: true };
                break;
            case CondPatternType.FileExecutable:
                rc = FileStatus.Of(input) is { Exists: true } x && (x.Mode & 0x49) != 0;
                break;
            case CondPatternType.LookupUrl:
                rc = RewriteLookahead.UrlIsServed(input, ctx);
                break;
            case CondPatternType.LookupFile:
                rc = RewriteLookahead.FileIsServed(input, ctx);
                break;
            case CondPatternType.StringGreaterOrEqual:
                rc = Compare(input, c.Pattern, nc) >= 0;
                break;
            case CondPatternType.StringGreater:
                rc = Compare(input, c.Pattern, nc) >= 1;
                break;
            case CondPatternType.StringLessOrEqual:
                rc = Compare(input, c.Pattern, nc) <= 0;
                break;
            case CondPatternType.StringLess:
                rc = Compare(input, c.Pattern, nc) <= -1;
                break;
            case CondPatternType.StringEqual:
                rc = nc ? string.Equals(input, c.Pattern, StringComparison.OrdinalIgnoreCase) : string.Equals(input, c.Pattern, StringComparison.Ordinal);
                break;
            case CondPatternType.IntGreaterOrEqual:
                rc = Atoi(input) >= Atoi(c.Pattern);
                break;
            case CondPatternType.IntGreater:
                rc = Atoi(input) > Atoi(c.Pattern);
                break;
            case CondPatternType.IntLessOrEqual:
                rc = Atoi(input) <= Atoi(c.Pattern);
                break;
            case CondPatternType.IntLess:
                rc = Atoi(input) < Atoi(c.Pattern);
                break;
            case CondPatternType.IntEqual:
                rc = Atoi(input) == Atoi(c.Pattern);
                break;
            default:
                Match m;
                try
                {
                    m = c.Regex!.Match(input);
                }
                catch (RegexMatchTimeoutException)
                {
                    return -1;
                }

                rc = m.Success;
                if (rc && !c.Has(CondFlags.NotMatch))
                {
                    ctx.CondMatch = m;
                }

                break;
        }

        if (c.Has(CondFlags.NotMatch))
        {
            rc = !rc;
        }

        if (RewriteLog.Enabled(r, 4))
        {
            RewriteLog.Trace(r, 4, ctx.PerDir, "RewriteCond: input='" + input + "' pattern='" + (c.Has(CondFlags.NotMatch) ? "!" : string.Empty)
                + (c.Type == CondPatternType.StringEqual ? "=" : string.Empty) + c.Pattern + "'" + (nc ? " [NC]" : string.Empty) + " => " + (rc ? "matched" : "not-matched"));
        }

        return rc ? 1 : 0;
    }

    private static int MatchTimedOut(RequestRecord r, string pattern)
    {
        r.Server.ErrorLog.Write(LogLevel.Error, RewriteLog.Module, "PL00321: regular expression '" + pattern + "' took longer than " + MatchTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms on the request's input: refused with 500", LogClient.Of(r));
        return 500;
    }

    /// <summary>compare_lexicography (or strcasecmp with [NC]): by length first, then byte by byte.</summary>
    private static int Compare(string a, string b, bool noCase)
    {
        if (noCase)
        {
            return Math.Sign(string.Compare(a, b, StringComparison.OrdinalIgnoreCase));
        }

        if (a.Length != b.Length)
        {
            return a.Length > b.Length ? 1 : -1;
        }

        return Math.Sign(string.CompareOrdinal(a, b));
    }

    /// <summary>C's atoi: optional space and sign, then digits; 0 when there are none.</summary>
    internal static long Atoi(string s)
    {
        int i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        bool neg = false;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            neg = s[i] == '-';
            i++;
        }

        long v = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]) && v < int.MaxValue)
        {
            v = v * 10 + (s[i] - '0');
            i++;
        }

        return neg ? -v : v;
    }

    private static int QuestionMarks(string s)
    {
        int n = 0;
        foreach (char c in s)
        {
            if (c == '?')
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>splitout_queryargs: a '?' in the result starts the new query string ([QSA] appends the old one, [QSD] drops it).</summary>
    private static void SplitQueryArgs(RequestRecord r, RuleFlags flags, string? perDir)
    {
        if ((flags & RuleFlags.QsNone) != 0)
        {
            RewriteLog.Trace(r, 2, null, "discarding query string, no parameters");
            r.Args = null;
            return;
        }

        string filename = r.Filename!;
        int skip = RewriteUrl.AbsoluteSchemeLength(filename, out bool supportsQuery);
        if (skip > 0 && !supportsQuery)
        {
            r.Args = null;
            return;
        }

        if ((flags & RuleFlags.QsDiscard) != 0)
        {
            r.Args = null;
            RewriteLog.Trace(r, 2, null, "discarding query string");
        }

        int q = (flags & RuleFlags.QsLast) != 0 ? filename.LastIndexOf('?') : filename.IndexOf('?', skip);
        if (q >= skip && q >= 0)
        {
            string query = filename[(q + 1)..];
            r.Filename = filename[..q];
            if ((flags & RuleFlags.QsAppend) != 0)
            {
                if (query.Length > 0)
                {
                    r.Args = query + "&" + r.Args;
                }
            }
            else
            {
                r.Args = query;
            }

            if (r.Args is { } args)
            {
                if (args.Length == 0)
                {
                    r.Args = null;
                }
                else if (args[^1] == '&')
                {
                    r.Args = args[..^1];
                }
            }

            RewriteLog.Trace(r, 3, perDir, "split uri=" + filename + " -> uri=" + r.Filename + ", args=" + (r.Args ?? "<none>"));
        }
    }

    /// <summary>fully_qualify_uri: a local result made http://host[:port]/path for [R] and [P].</summary>
    private static void FullyQualify(RequestRecord r)
    {
        if (RewriteUrl.IsAbsolute(r.Filename!))
        {
            return;
        }

        string host = ServerUrl.RequestHost(r);
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        int port = ServerUrl.RequestPort(r);
        string portText = port == 80 ? string.Empty : ":" + port.ToString(CultureInfo.InvariantCulture);
        r.Filename = "http://" + host + portText + (r.Filename!.StartsWith('/') ? string.Empty : "/") + r.Filename;
    }

    /// <summary>reduce_uri: http://this-server[:port]/path becomes /path (and is marked for the document root).</summary>
    private static void ReduceUri(RequestRecord r, RewriteContext ctx)
    {
        string f = r.Filename!;
        const string scheme = "http://";
        if (f.Length <= scheme.Length || !f.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        int hostStart = scheme.Length;
        int cp = hostStart;
        while (cp < f.Length && f[cp] != '/' && f[cp] != ':')
        {
            cp++;
        }

        string host = f[hostStart..cp];
        int port;
        string url;
        if (cp < f.Length && f[cp] == ':')
        {
            int portStart = cp + 1;
            int end = portStart;
            while (end < f.Length && f[end] != '/')
            {
                end++;
            }

            port = (int)Atoi(f[portStart..end]);
            url = end < f.Length ? f[end..] : "/";
        }
        else
        {
            port = 80;
            url = cp < f.Length ? f[cp..] : "/";
        }

        // ap_matches_request_vhost: this server's name or an alias, on the port the request came to.
        if (r.Server.AnswersTo(host.ToLowerInvariant()) && port == r.Request.LocalEndPoint.Port)
        {
            RewriteLog.Trace(r, 3, ctx.PerDir, "reduce " + f + " -> " + url);
            r.Filename = url;
            r.Notes["mod_rewrite_uri_reduced"] = "true";
        }
    }

    private static void ForceTypeHandler(RewriteRuleEntry p, RewriteContext ctx)
    {
        RequestRecord r = ctx.Request;
        if (p.Options.ForcedType is { } type)
        {
            string expanded = RewriteExpander.Expand(type, ctx, p).ToLowerInvariant();
            if (expanded.Length > 0)
            {
                RewriteLog.Trace(r, 2, ctx.PerDir, "remember " + r.Filename + " to have MIME-type '" + expanded + "'");
                r.Notes[ForcedTypeNote] = expanded;
            }
        }

        if (p.Options.ForcedHandler is { } handler)
        {
            string expanded = RewriteExpander.Expand(handler, ctx, p).ToLowerInvariant();
            if (expanded.Length > 0)
            {
                RewriteLog.Trace(r, 2, ctx.PerDir, "remember " + r.Filename + " to have Content-handler '" + expanded + "'");
                r.Notes[ForcedHandlerNote] = expanded;
            }
        }
    }

    private static void ExpandEnvironment(RewriteRuleEntry p, RewriteContext ctx)
    {
        foreach (string e in p.Options.Env)
        {
            string name = RewriteExpander.Expand(e, ctx, null);
            if (name.StartsWith('!'))
            {
                name = name[1..];
                if (ctx.Request.HasEnvironment)
                {
                    ctx.Request.Environment.Remove(name);
                }

                RewriteLog.Trace(ctx.Request, 5, null, "unsetting env variable '" + name + "'");
                continue;
            }

            int colon = name.IndexOf(':', StringComparison.Ordinal);
            string value = colon < 0 ? string.Empty : name[(colon + 1)..];
            if (colon >= 0)
            {
                name = name[..colon];
            }

            ctx.Request.Environment[name] = value;
            RewriteLog.Trace(ctx.Request, 5, null, "setting env variable '" + name + "' to '" + value + "'");
        }
    }

    private static void ExpandCookies(RewriteRuleEntry p, RewriteContext ctx)
    {
        foreach (string spec in p.Options.Cookies)
        {
            string cookie = RewriteCookie.Build(RewriteExpander.Expand(spec, ctx, null), ctx.Request.Request.Headers);
            if (cookie.Length == 0)
            {
                continue;
            }

            ctx.Request.Response.Headers.Add("Set-Cookie", RewriteUrl.HeaderSafe(cookie));
            RewriteLog.Trace(ctx.Request, 5, null, "setting cookie '" + cookie + "'");
        }
    }

    private static void MergeVary(RequestRecord r, string vary)
    {
        string? old = r.Response.Headers["Vary"];
        if (old is null)
        {
            r.Response.Headers.Set("Vary", vary);
            return;
        }

        // An internal redirect runs the rules again on the same response: a field is named once.
        foreach (string name in vary.Split(", "))
        {
            if (!old.Split(", ").Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                old += ", " + name;
            }
        }

        r.Response.Headers.Set("Vary", old);
    }
}
