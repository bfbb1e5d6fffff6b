using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Pluma.Admin;

/// <summary>
/// a2query: answers from the tree and the state markers. Debian's asks <c>apache2ctl -V</c> first for
/// the version, magic number and MPM; Pluma's version and magic number are constants and its MPM is the
/// enabled <c>mpm_*.load</c>, which is what Debian falls back to and what Pluma will load.
/// Exit 0 found, 1 not found, 32 disabled by the admin, 33 disabled by a maintainer script.
/// </summary>
internal sealed class QueryTool(AdminContext context, string invocationName)
{
    public const string ServerVersion = "2.4.71";
    public const string ModuleMagic = "20120211";
    public const string ModuleDir = "/usr/lib/apache2/modules/";

    private static readonly (string Switch, string Text)[] s_help =
    [
        ("q", "suppress any output. Useful for invocation from scripts"),
        ("m [MODULE]", "checks whether the module MODULE is enabled, lists all enabled modules if no argument was given"),
        ("s [SITE]", "checks whether the site SITE is enabled, lists all sites if no argument was given"),
        ("c [CONF]", "checks whether the configuration CONF is enabled, lists all configurations if no argument was given"),
        ("a", "returns the current Apache 2 module magic version"),
        ("v", "returns the current Apache 2 version"),
        ("M", "returns the enabled Apache 2 MPM"),
        ("d", "returns the Apache 2 module directory"),
        ("h", "display this help"),
    ];

    private bool _quiet;

    public int Run(string[] args)
    {
        try
        {
            return RunCore(args);
        }
        catch (ToolExitException e)
        {
            return e.ExitCode;
        }
    }

    private int RunCore(string[] args)
    {
        string confDir = context.GetEnv("APACHE_CONFDIR") ?? context.DefaultConfDir;
        string stateDir = StateMarkers.Root(context);

        // Parsed first, acted on in Debian's fixed order (q m s c a v M d h) whatever the command line's.
        var opts = ParseOptions(args);
        _quiet = opts.ContainsKey('q');

        // As Debian's, every query first lists mods-enabled, so two MPMs fail even "a2query -v".
        string modsEnabled = Path.Combine(confDir, "mods-enabled");
        List<string> modules = ListOrFail(modsEnabled, ".load");
        string mpm = "invalid";
        int mpmCount = 0;
        foreach (string m in modules)
        {
            if (m is "mpm_event" or "mpm_worker" or "mpm_prefork")
            {
                if (++mpmCount > 1)
                {
                    Fail("There is more than one MPM loaded. Do not proceed due to undefined results", 1);
                }

                mpm = m[4..];
            }
        }

        int help = 1;
        if (opts.TryGetValue('q', out _))
        {
            help--;
        }

        if (opts.TryGetValue('m', out string? m2))
        {
            help--;
            QueryState(stateDir, "module", m2, modules);
        }

        if (opts.TryGetValue('s', out string? s))
        {
            help--;
            QueryState(stateDir, "site", s, ListOrFail(Path.Combine(confDir, "sites-enabled"), ".conf"));
        }

        if (opts.TryGetValue('c', out string? c))
        {
            help--;
            QueryState(stateDir, "conf", c, ListOrFail(Path.Combine(confDir, "conf-enabled"), ".conf"));
        }

        if (opts.ContainsKey('a'))
        {
            help--;
            Output(ModuleMagic + "\n");
        }

        if (opts.ContainsKey('v'))
        {
            help--;
            Output(ServerVersion + "\n");
        }

        if (opts.ContainsKey('M'))
        {
            help--;
            Output(mpm + "\n");
        }

        if (opts.ContainsKey('d'))
        {
            help--;
            Output(ModuleDir + "\n");
        }

        if (opts.ContainsKey('h') || help == 1)
        {
            // Help ignores -q, as Debian's.
            context.Out.Write(HelpText(invocationName));
        }

        return 0;
    }

    /// <summary>The help as Debian's Perl format prints it: a 13-column switch, a tab, text wrapped at 65.</summary>
    internal static string HelpText(string invocationName)
    {
        var sb = new StringBuilder();
        sb.Append("Usage: ").Append(invocationName).Append(' ');
        foreach (var (sw, _) in s_help)
        {
            sb.Append('-').Append(sw).Append(' ');
        }

        sb.Append('\n');
        foreach (var (sw, text) in s_help)
        {
            List<string> lines = Wrap(text, 65);
            sb.Append(('-' + sw).PadRight(13)).Append('\t').Append(lines[0]).Append('\n');
            for (int i = 1; i < lines.Count; i++)
            {
                sb.Append("  \t        ").Append(lines[i]).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        lines.Add(line.ToString());
        return lines;
    }

    // Getopt::Std: bundled single letters; m, s and c take the rest of the word or the next word
    // (absent at the end: list all); an unknown letter warns and is otherwise ignored.
    private Dictionary<char, string?> ParseOptions(string[] args)
    {
        var opts = new Dictionary<char, string?>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                break;
            }

            if (a.Length < 2 || a[0] != '-')
            {
                break; // getopts stops at the first non-option
            }

            for (int j = 1; j < a.Length; j++)
            {
                char c = a[j];
                if (c is 'm' or 's' or 'c')
                {
                    string? value = j + 1 < a.Length ? a[(j + 1)..] : (i + 1 < args.Length ? args[++i] : null);
                    opts[c] = value;
                    break;
                }

                if (c is 'h' or 'a' or 'v' or 'M' or 'd' or 'q')
                {
                    opts[c] = null;
                }
                else
                {
                    context.Error.Write($"Unknown option: {c}\n");
                }
            }
        }

        return opts;
    }

    private List<string> ListOrFail(string dir, string suffix)
    {
        try
        {
            return ConfTree.ListNames(dir, suffix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"{dir}: No such file or directory", 1);
            return [];
        }
    }

    private void QueryState(string stateDir, string type, string? pattern, List<string> enabled)
    {
        // "mod_" prefix and ".conf"/".load" suffix are ignored, as the manual promises.
        string p = pattern ?? string.Empty;
        if (p.StartsWith("mod_", StringComparison.Ordinal))
        {
            p = p[4..];
        }

        if (p.EndsWith(".conf", StringComparison.Ordinal) || p.EndsWith(".load", StringComparison.Ordinal))
        {
            p = p[..^5];
        }

        string typeDir = Path.Combine(stateDir, type);
        int matches = 0;
        foreach (string name in enabled)
        {
            if (p.Length > 0 && name != p)
            {
                continue;
            }

            string who = StateMarkers.Who(typeDir, "enabled", name) ?? "unknown";
            Output($"{name} (enabled by {Verbose(who)})\n");
            matches++;
        }

        if (matches == 0)
        {
            string reason = $"No {type} matches {p}";
            int rc = 1;
            string? who = StateMarkers.Who(typeDir, "disabled", p);
            if (who is not null)
            {
                reason += $" (disabled by {Verbose(who)})";
                rc = who == "maint" ? 33 : 32;
            }

            Fail(reason, rc);
        }
    }

    private static string Verbose(string who) => who switch
    {
        "admin" => "site administrator",
        "maint" => "maintainer script",
        _ => "unknown",
    };

    private void Output(string text)
    {
        if (!_quiet)
        {
            context.Out.Write(text);
        }
    }

    private void Fail(string reason, int rc)
    {
        if (!_quiet)
        {
            context.Error.Write(reason + "\n");
        }

        throw new ToolExitException(rc);
    }
}
