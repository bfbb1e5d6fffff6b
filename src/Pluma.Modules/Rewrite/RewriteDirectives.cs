using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.Config;

namespace Pluma.Modules.Rewrite;

/// <summary>mod_rewrite's directives (command_table) and their handlers (cmd_rewrite*).</summary>
public static class RewriteDirectives
{
    internal static DirectiveDefinition[] All() =>
    [
        new("RewriteEngine", DirectiveArgs.Flag, DirectiveScope.OrFileInfo,
            "On or Off to enable or disable (default) the whole rewriting engine", Engine),
        new("RewriteOptions", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo,
            "List of option strings to set", Options),
        new("RewriteBase", DirectiveArgs.Take1, DirectiveScope.OrFileInfo,
            "the base URL of the per-directory context", Base),
        new("RewriteCond", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
            "an input string and a to be applied regexp-pattern", Cond),
        new("RewriteRule", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
            "an URL-applied regexp-pattern and a substitution URL", Rule),
        new("RewriteMap", DirectiveArgs.Take23, DirectiveScope.RsrcConf,
            "a mapname and a filename and options", Map),
    ];

    /// <summary>A rule or condition regex: Apache's default options (DOTALL, DOLLAR_ENDONLY), [NC], and a match timeout against ReDoS.</summary>
    public static Regex Compile(string pattern, bool noCase) =>
        new(ApacheRegex.DollarEndOnly(pattern),
            RegexOptions.CultureInvariant | RegexOptions.Singleline | (noCase ? RegexOptions.IgnoreCase : RegexOptions.None),
            RewriteEngine.MatchTimeout);

    private static bool IsServer(DirectiveCall call) => call.Section == SectionKind.None;

    private static string? Engine(DirectiveCall call)
    {
        if (IsServer(call))
        {
            call.GetServerRecord<RewriteServerConfig>().Engine = call.FlagValue;
        }
        else
        {
            call.GetDirRecord<RewriteDirConfig>().Engine = call.FlagValue;
        }

        return null;
    }

    private static string? Options(DirectiveCall call)
    {
        string w = call.Args[0];
        RewriteOptionBits bit;
        if (w.StartsWith("MaxRedirects=", StringComparison.OrdinalIgnoreCase))
        {
            call.AddWarning("AH00664", "AH00664: RewriteOptions: MaxRedirects option has been removed in favor of the global LimitInternalRecursion directive and will be ignored.");
            return null;
        }

        switch (w.ToLowerInvariant())
        {
            case "inherit": bit = RewriteOptionBits.Inherit; break;
            case "inheritbefore": bit = RewriteOptionBits.InheritBefore; break;
            case "inheritdown": bit = RewriteOptionBits.InheritDown; break;
            case "inheritdownbefore": bit = RewriteOptionBits.InheritDownBefore; break;
            case "ignoreinherit": bit = RewriteOptionBits.IgnoreInherit; break;
            case "allownoslash": bit = RewriteOptionBits.NoSlash; break;
            case "allowanyuri": bit = RewriteOptionBits.AnyUri; break;
            case "mergebase": bit = RewriteOptionBits.MergeBase; break;
            case "ignorecontextinfo": bit = RewriteOptionBits.IgnoreContextInfo; break;
            case "legacyprefixdocroot": bit = RewriteOptionBits.LegacyPrefixDocRoot; break;
            case "longurloptimization": return null; // a memory-use option of Apache's pools: nothing to do in Pluma
            default: return "RewriteOptions: unknown option '" + w + "'";
        }

        if (IsServer(call))
        {
            RewriteServerConfig s = call.GetServerRecord<RewriteServerConfig>();
            s.Options = (s.Options ?? RewriteOptionBits.None) | bit;
        }
        else
        {
            RewriteDirConfig d = call.GetDirRecord<RewriteDirConfig>();
            d.Options = (d.Options ?? RewriteOptionBits.None) | bit;
        }

        return null;
    }

    private static string? Base(DirectiveCall call)
    {
        if (IsServer(call))
        {
            return "RewriteBase: only valid in per-directory config files";
        }

        string a = call.Args[0];
        if (a.Length == 0)
        {
            return "RewriteBase: empty URL not allowed";
        }

        if (a[0] != '/')
        {
            return "RewriteBase: argument is not a valid URL";
        }

        call.GetDirRecord<RewriteDirConfig>().BaseUrl = a;
        return null;
    }

    private static string? Cond(DirectiveCall call)
    {
        List<string>? w = RewriteArgs.Split(call.RawArgs);
        if (w is null || w.Count < 2)
        {
            return "RewriteCond: bad argument line '" + call.RawArgs + "'";
        }

        var flags = CondFlags.None;
        if (w.Count == 3)
        {
            var list = RewriteFlagParser.NewFlagList();
            string? err = RewriteArgs.ParseFlags(w[2], list);
            foreach (var (key, _) in list)
            {
                err ??= RewriteFlagParser.ApplyCondFlag(ref flags, key);
            }

            if (err is not null)
            {
                return "RewriteCond: " + err;
            }
        }

        string input = w[0];
        string a2 = w[1];
        if (input == "expr")
        {
            return "PL00322: RewriteCond expr is not built in Pluma (an ap_expr condition would be ignored); write the test as a TestString and CondPattern";
        }

        if (a2.StartsWith('!'))
        {
            flags |= CondFlags.NotMatch;
            a2 = a2[1..];
        }

        var (type, pattern, invert) = RewriteFlagParser.ClassifyCondPattern(a2);
        if (invert)
        {
            flags ^= CondFlags.NotMatch;
        }

        Regex? regex = null;
        if (type == CondPatternType.Regex)
        {
            try
            {
                regex = Compile(pattern, (flags & CondFlags.NoCase) != 0);
            }
            catch (ArgumentException)
            {
                return "RewriteCond: cannot compile regular expression '" + pattern + "'";
            }
        }
        else if ((flags & CondFlags.NoCase) != 0 && type is not (CondPatternType.StringEqual or CondPatternType.StringGreater
            or CondPatternType.StringGreaterOrEqual or CondPatternType.StringLess or CondPatternType.StringLessOrEqual))
        {
            call.AddWarning("AH00665", "AH00665: RewriteCond: NoCase option for non-regex pattern '" + pattern + "' is not supported and will be ignored. (" + call.File + ":" + call.Line + ")");
        }

        var cond = new RewriteCondEntry(input, pattern, type, regex, flags);
        if (IsServer(call))
        {
            call.GetServerRecord<RewriteServerConfig>().PendingConditions.Add(cond);
        }
        else
        {
            call.GetDirRecord<RewriteDirConfig>().PendingConditions.Add(cond);
        }

        return null;
    }

    private static string? Rule(DirectiveCall call)
    {
        List<string>? w = RewriteArgs.Split(call.RawArgs);
        if (w is null || w.Count < 2)
        {
            return "RewriteRule: bad argument line '" + call.RawArgs + "'";
        }

        var options = new RuleOptions();
        if (w.Count == 3)
        {
            var list = RewriteFlagParser.NewFlagList();
            string? err = RewriteArgs.ParseFlags(w[2], list);
            foreach (var (key, value) in list)
            {
                err ??= RewriteFlagParser.ApplyRuleFlag(options, key, value);
            }

            if (err is not null)
            {
                return "RewriteRule: " + err;
            }
        }

        string pattern = w[0];
        if (pattern.StartsWith('!'))
        {
            options.Flags |= RuleFlags.NotMatch;
            pattern = pattern[1..];
        }

        Regex regex;
        try
        {
            regex = Compile(pattern, (options.Flags & RuleFlags.NoCase) != 0);
        }
        catch (ArgumentException)
        {
            return "RewriteRule: cannot compile regular expression '" + pattern + "'";
        }

        string output = w[1];
        if (output == "-")
        {
            options.Flags |= RuleFlags.NoSub;
        }

        if (output.Length > 0 && output[^1] == '?')
        {
            // A literal '?' at the end drops the query string.
            options.Flags |= RuleFlags.QsNone;
            output = output[..^1];
        }
        else if ((options.Flags & RuleFlags.QsDiscard) != 0 && !output.Contains('?', StringComparison.Ordinal))
        {
            options.Flags |= RuleFlags.QsNone;
        }

        if (IsServer(call))
        {
            RewriteServerConfig s = call.GetServerRecord<RewriteServerConfig>();
            s.Rules.Add(new RewriteRuleEntry(pattern, regex, output, options, s.PendingConditions));
            s.PendingConditions = [];
        }
        else
        {
            RewriteDirConfig d = call.GetDirRecord<RewriteDirConfig>();
            d.Rules.Add(new RewriteRuleEntry(pattern, regex, output, options, d.PendingConditions));
            d.PendingConditions = [];
        }

        return null;
    }

    private static string? Map(DirectiveCall call)
    {
        string name = call.Args[0];
        string a2 = call.Args[1];
        RewriteMapDefinition map;
        if (a2.StartsWith("txt:", StringComparison.Ordinal) || a2.StartsWith("rnd:", StringComparison.Ordinal))
        {
            string file = call.ResolvePath(a2[4..]);
            if (!File.Exists(file))
            {
                return "RewriteMap: file for map " + name + " not found:" + file;
            }

            map = new RewriteMapDefinition(name, a2[0] == 't' ? RewriteMapType.Text : RewriteMapType.Random, file);
        }
        else if (a2.StartsWith("int:", StringComparison.Ordinal))
        {
            string func = a2[4..];
            if (Array.IndexOf(RewriteMaps.InternalFunctions, func) < 0)
            {
                return "RewriteMap: internal map not found:" + func;
            }

            map = new RewriteMapDefinition(name, RewriteMapType.Internal, func);
        }
        else if (a2.StartsWith("prg:", StringComparison.Ordinal) || a2.StartsWith("dbm", StringComparison.Ordinal)
            || a2.StartsWith("dbd:", StringComparison.Ordinal) || a2.StartsWith("fastdbd:", StringComparison.Ordinal))
        {
            return "PL00320: RewriteMap " + name + ": map type '" + a2[..(a2.IndexOf(':', StringComparison.Ordinal) + 1)] + "' is not built in Pluma (txt:, rnd: and int: are)";
        }
        else
        {
            // No type prefix: a text file, as in Apache.
            string file = call.ResolvePath(a2);
            if (!File.Exists(file))
            {
                return "RewriteMap: file for map " + name + " not found:" + file;
            }

            map = new RewriteMapDefinition(name, RewriteMapType.Text, file);
        }

        call.GetServerRecord<RewriteServerConfig>().Maps[name] = map;
        return null;
    }
}
