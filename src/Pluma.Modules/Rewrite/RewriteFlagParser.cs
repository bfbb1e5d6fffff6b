using System.Collections.Generic;
using System.Globalization;

namespace Pluma.Modules.Rewrite;

/// <summary>cmd_rewriterule_setflag and cmd_rewritecond_setflag: the words Apache accepts, long and short, case-insensitively.</summary>
public static class RewriteFlagParser
{
    /// <summary>Applies one rule flag; returns an error text (without the "RewriteRule: " prefix) or null.</summary>
    internal static string? ApplyRuleFlag(RuleOptions o, string key, string? val)
    {
        string k = key.ToLowerInvariant();
        string v = val ?? string.Empty;
        switch (k)
        {
            case "b" or "backrefescaping":
                o.Flags |= RuleFlags.EscapeBackref;
                if (v.Length > 0)
                {
                    o.Escapes = v;
                }

                return null;
            case "bnp" or "backrefnoplus":
                o.Flags |= RuleFlags.EscapeNoPlus;
                return null;
            case "bctls":
                o.Flags |= RuleFlags.EscapeCtls | RuleFlags.EscapeBackref;
                return null;
            case "bne":
                if (v.Length == 0)
                {
                    return "flag 'BNE' wants a list of characters (i.e. [BNE=...])";
                }

                o.NoEscapes = v;
                return null;
            case "c" or "chain":
                o.Flags |= RuleFlags.Chain;
                return null;
            case "co" or "cookie":
                o.Cookies.Add(v);
                return null;
            case "dpi" or "discardpath":
                o.Flags |= RuleFlags.DiscardPathInfo;
                return null;
            case "e" or "env":
                o.Env.Add(v);
                return null;
            case "end":
                o.Flags |= RuleFlags.End;
                return null;
            case "f" or "forbidden":
                o.Flags |= RuleFlags.Status | RuleFlags.NoSub;
                o.ForcedStatus = 403;
                return null;
            case "g" or "gone":
                o.Flags |= RuleFlags.Status | RuleFlags.NoSub;
                o.ForcedStatus = 410;
                return null;
            case "h" or "handler":
                o.ForcedHandler = v;
                return null;
            case "l" or "last":
                o.Flags |= RuleFlags.Last;
                return null;
            case "n" or "next":
                o.Flags |= RuleFlags.NewRound;
                if (v.Length > 0)
                {
                    o.MaxRounds = (int)RewriteEngine.Atoi(v);
                }

                return null;
            case "ns" or "nosubreq":
                o.Flags |= RuleFlags.IgnoreOnSubrequest;
                return null;
            case "nc" or "nocase":
                o.Flags |= RuleFlags.NoCase;
                return null;
            case "ne" or "noescape":
                o.Flags |= RuleFlags.NoEscape;
                return null;
            case "p" or "proxy":
                o.Flags |= RuleFlags.Proxy;
                return null;
            case "pt" or "passthrough":
                o.Flags |= RuleFlags.PassThrough;
                return null;
            case "qsa" or "qsappend":
                o.Flags |= RuleFlags.QsAppend;
                return null;
            case "qsd" or "qsdiscard":
                o.Flags |= RuleFlags.QsDiscard;
                return null;
            case "qsl" or "qslast":
                o.Flags |= RuleFlags.QsLast;
                return null;
            case "r" or "redirect":
                return Redirect(o, v);
            case "s" or "skip":
                o.Skip = (int)RewriteEngine.Atoi(v);
                return null;
            case "t" or "type":
                o.ForcedType = v;
                return null;
            case "unc":
                return null;
            case "unsafeprefixstat":
                o.Flags |= RuleFlags.UnsafePrefixStat;
                return null;
            case "unsafeallow3f":
                o.Flags |= RuleFlags.UnsafeAllow3F;
                return null;
            default:
                return "unknown flag '" + key + "'";
        }
    }

    private static string? Redirect(RuleOptions o, string v)
    {
        int status = 302;
        if (v.Length > 0)
        {
            if (v.Equals("permanent", StringComparison.OrdinalIgnoreCase))
            {
                status = 301;
            }
            else if (v.Equals("temp", StringComparison.OrdinalIgnoreCase))
            {
                status = 302;
            }
            else if (v.Equals("seeother", StringComparison.OrdinalIgnoreCase))
            {
                status = 303;
            }
            else if (char.IsAsciiDigit(v[0]))
            {
                status = (int)RewriteEngine.Atoi(v);
                if (status != 500 && !IsKnownStatus(status))
                {
                    return "invalid HTTP response code '" + v + "' for flag 'R'";
                }

                if (status is < 300 or > 399)
                {
                    o.Flags |= RuleFlags.Status | RuleFlags.NoSub;
                }
            }
        }

        o.ForcedStatus = status;
        o.Flags |= RuleFlags.ForceRedirect;
        return null;
    }

    // ap_index_of_response's table (http_protocol.c status_lines): the codes Apache knows.
    private static bool IsKnownStatus(int s) => s switch
    {
        >= 100 and <= 103 => true,
        >= 200 and <= 208 or 226 => true,
        >= 300 and <= 308 => true,
        >= 400 and <= 418 or 421 or 422 or 423 or 424 or 425 or 426 or 428 or 429 or 431 or 451 => true,
        >= 500 and <= 508 or 510 or 511 => true,
        _ => false,
    };

    /// <summary>Applies one condition flag; returns an error text (without "RewriteCond: ") or null.</summary>
    internal static string? ApplyCondFlag(ref CondFlags flags, string key)
    {
        switch (key.ToLowerInvariant())
        {
            case "nc" or "nocase":
                flags |= CondFlags.NoCase;
                return null;
            case "or" or "ornext":
                flags |= CondFlags.OrNext;
                return null;
            case "nv" or "novary":
                flags |= CondFlags.NoVary;
                return null;
            default:
                return "unknown flag '" + key + "'";
        }
    }

    /// <summary>The CondPattern's test and the rest of it after the operator (cmd_rewritecond).</summary>
    public static (CondPatternType Type, string Pattern, bool Invert) ClassifyCondPattern(string a2)
    {
        if (a2.Length >= 2)
        {
            if (a2.Length == 2 && a2[0] == '-')
            {
                CondPatternType? file = a2[1] switch
                {
                    'f' => CondPatternType.FileExists,
                    's' => CondPatternType.FileSize,
                    'd' => CondPatternType.FileDir,
                    'x' => CondPatternType.FileExecutable,
                    'h' or 'L' or 'l' => CondPatternType.FileLink,
                    'U' => CondPatternType.LookupUrl,
                    'F' => CondPatternType.LookupFile,
                    _ => null,
                };
                if (file is { } t)
                {
                    return (t, a2, false);
                }
            }
            else if (a2.Length > 3 && a2[0] == '-')
            {
                string op = a2.Substring(1, 2);
                string rest = a2[3..];
                switch (op)
                {
                    case "lt": return (CondPatternType.IntLess, rest, false);
                    case "le": return (CondPatternType.IntLessOrEqual, rest, false);
                    case "gt": return (CondPatternType.IntGreater, rest, false);
                    case "ge": return (CondPatternType.IntGreaterOrEqual, rest, false);
                    case "eq": return (CondPatternType.IntEqual, rest, false);
                    case "ne": return (CondPatternType.IntEqual, rest, true);
                }
            }
        }

        if (a2.Length >= 1)
        {
            switch (a2[0])
            {
                case '>':
                    return a2.Length > 1 && a2[1] == '=' ? (CondPatternType.StringGreaterOrEqual, a2[2..], false) : (CondPatternType.StringGreater, a2[1..], false);
                case '<':
                    return a2.Length > 1 && a2[1] == '=' ? (CondPatternType.StringLessOrEqual, a2[2..], false) : (CondPatternType.StringLess, a2[1..], false);
                case '=':
                    string rest = a2.Length > 1 && a2[1] == '=' ? a2[2..] : a2[1..];
                    if (rest == "\"\"")
                    {
                        rest = string.Empty;
                    }

                    return (CondPatternType.StringEqual, rest, false);
            }
        }

        return (CondPatternType.Regex, a2, false);
    }

    internal static string Itoa(int v) => v.ToString(CultureInfo.InvariantCulture);

    internal static List<(string Key, string? Value)> NewFlagList() => [];
}
