using System.Collections.Generic;
using System.IO;

namespace Pluma.Admin;

/// <summary>
/// a2enmod, a2dismod, a2ensite, a2dissite, a2enconf and a2disconf: one tool keyed on its name, as
/// Debian's is. It switches relative symlinks between <c>X-available</c> and <c>X-enabled</c>, follows
/// <c># Depends:</c>/<c># Conflicts:</c> headers, writes state markers, and ends with the hint to restart
/// (modules) or reload (sites, confs). Exit 0 on success, 1 when anything failed, 2 on bad options.
/// </summary>
internal sealed class EnableTool
{
    // Debian's list: disabling one of these asks for a typed confirmation unless -f is given.
    private static readonly HashSet<string> s_essential = new(StringComparer.Ordinal)
    {
        "alias", "auth_basic", "authn_file", "authz_host", "authz_user", "autoindex", "deflate", "dir", "env",
        "filter", "logio", "mime", "negotiation", "setenvif", "unixd", "version", "watchdog",
    };

    private readonly AdminContext _context;
    private readonly bool _enable;
    private readonly EnableKind _kind;
    private readonly string _suffix;
    private readonly string _obj;      // module | site | conf: messages and the state sub-directory
    private readonly string _fileSuffix;
    private readonly string _reloadVerb;
    private bool _quiet;
    private bool _force;
    private bool _maintainer;
    private bool _purge;
    private bool _requestReload;
    private string _confDir = string.Empty;
    private string _availDir = string.Empty;
    private string _enabledDir = string.Empty;
    private StateMarkers? _markers;
    private IReadOnlyDictionary<string, string> _env = new Dictionary<string, string>();

    public EnableTool(AdminContext context, bool enable, EnableKind kind, string instanceSuffix)
    {
        _context = context;
        _enable = enable;
        _kind = kind;
        _suffix = instanceSuffix;
        (_obj, _fileSuffix, _reloadVerb) = kind switch
        {
            EnableKind.Module => ("module", ".load", "restart"),
            EnableKind.Site => ("site", ".conf", "reload"),
            _ => ("conf", ".conf", "reload"),
        };
    }

    private string Act => _enable ? "enable" : "disable";

    private string Name => char.ToUpperInvariant(_obj[0]) + _obj[1..];

    private TextWriter Out => _context.Out;

    /// <summary>Parses <c>a2(en|dis)(mod|site|conf)[-INSTANCE]</c>.</summary>
    public static bool TryParseName(string toolName, out bool enable, out EnableKind kind, out string instanceSuffix)
    {
        enable = false;
        kind = EnableKind.Module;
        instanceSuffix = string.Empty;
        ReadOnlySpan<char> s = toolName;
        if (s.StartsWith("a2en"))
        {
            enable = true;
            s = s[4..];
        }
        else if (s.StartsWith("a2dis"))
        {
            s = s[5..];
        }
        else
        {
            return false;
        }

        int taken;
        if (s.StartsWith("mod"))
        {
            kind = EnableKind.Module;
            taken = 3;
        }
        else if (s.StartsWith("site"))
        {
            kind = EnableKind.Site;
            taken = 4;
        }
        else if (s.StartsWith("conf"))
        {
            kind = EnableKind.Conf;
            taken = 4;
        }
        else
        {
            return false;
        }

        s = s[taken..];
        if (s.Length == 0)
        {
            return true;
        }

        if (s[0] != '-' || s.Length < 2)
        {
            return false;
        }

        instanceSuffix = s.ToString();
        return true;
    }

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
        List<string>? names = ParseOptions(args);
        if (names is null)
        {
            return 2;
        }

        IReadOnlyDictionary<string, string> env = _env = ReadEnvironment();
        string dir = _kind switch { EnableKind.Module => "mods", EnableKind.Site => "sites", _ => "conf" };
        string upper = dir.ToUpperInvariant();
        _confDir = Get(env, "APACHE_CONFDIR") ?? (_suffix.Length == 0 ? _context.DefaultConfDir : _context.DefaultConfDir.TrimEnd('/') + _suffix);
        _availDir = Get(env, "APACHE_" + upper + "_AVAILABLE") ?? Path.Combine(_confDir, dir + "-available");
        _enabledDir = Get(env, "APACHE_" + upper + "_ENABLED") ?? Path.Combine(_confDir, dir + "-enabled");
        string stateRoot = Get(env, "PLUMA_STATE_DIR") ?? Get(env, "APACHE_STATE_DIRECTORY") ?? _context.DefaultStateDir;
        _markers = new StateMarkers(Path.Combine(stateRoot, _obj), _context.Error);

        int rc = 0;
        if (names.Count == 0)
        {
            Out.Write($"Your choices are: {string.Join(' ', Glob.Expand(ChoiceDir, "*" + _fileSuffix).ConvertAll(StripSuffix))}\n");
            Out.Write($"Which {_obj}(s) do you want to {Act} (wildcards ok)?\n");
            Out.Flush();
            string? input = _context.In.ReadLine();
            names.AddRange((input ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        var targets = new List<string>();
        foreach (string arg in names)
        {
            string bare = StripSuffix(arg);
            List<string> matches = Glob.Expand(ChoiceDir, bare + _fileSuffix);
            if (matches.Count == 0)
            {
                Error($"No {_obj} found matching {bare}!\n");
                rc = 1;
            }

            foreach (string m in matches)
            {
                targets.Add(StripSuffix(m));
            }
        }

        foreach (string target in targets)
        {
            if (!DoIt(target))
            {
                rc = 1;
            }
        }

        if (_requestReload)
        {
            bool systemd = ServiceNames.DetectSystemd(_context);
            Info("To activate the new configuration, you need to run:\n  " + ServiceNames.ActivateCommand(systemd, _reloadVerb, _suffix) + "\n");
        }

        return rc;
    }

    private string ChoiceDir => _enable ? _availDir : _enabledDir;

    private static string? Get(IReadOnlyDictionary<string, string> env, string key) =>
        env.TryGetValue(key, out string? v) && v.Length > 0 ? v : null;

    private string StripSuffix(string name) =>
        name.EndsWith(_fileSuffix, StringComparison.Ordinal) ? name[..^_fileSuffix.Length] : name;

    // Getopt::Long with bundling and permutation: options anywhere, "--" ends them, every unknown
    // option is reported before giving up with 2.
    private List<string>? ParseOptions(string[] args)
    {
        var names = new List<string>();
        bool ok = true;
        bool optionsDone = false;
        foreach (string a in args)
        {
            if (optionsDone || a.Length < 2 || a[0] != '-')
            {
                names.Add(a);
                continue;
            }

            if (a == "--")
            {
                optionsDone = true;
                continue;
            }

            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                switch (a[2..])
                {
                    case "quiet": _quiet = true; break;
                    case "force": _force = true; break;
                    case "maintmode": _maintainer = true; break;
                    case "purge": _purge = true; break;
                    default:
                        _context.Error.Write($"Unknown option: {a[2..]}\n");
                        ok = false;
                        break;
                }

                continue;
            }

            foreach (char c in a.AsSpan(1))
            {
                switch (c)
                {
                    case 'q': _quiet = true; break;
                    case 'f': _force = true; break;
                    case 'm': _maintainer = true; break;
                    case 'p': _purge = true; break;
                    default:
                        _context.Error.Write($"Unknown option: {c}\n");
                        ok = false;
                        break;
                }
            }
        }

        return ok ? names : null;
    }

    private IReadOnlyDictionary<string, string> ReadEnvironment()
    {
        string? file = _context.GetEnv("APACHE_ENVVARS");
        if (file is null)
        {
            string confDir = _context.GetEnv("APACHE_CONFDIR") ?? (_suffix.Length == 0 ? _context.DefaultConfDir : _context.DefaultConfDir.TrimEnd('/') + _suffix);
            file = Path.Combine(confDir, "envvars");
        }

        if (!File.Exists(file))
        {
            return _context.Environment;
        }

        // Debian sources envvars in an empty environment and overlays the result. APACHE_CONFDIR is
        // passed in because Pluma's source-tree envvars derives its paths from it.
        var start = new Dictionary<string, string>(StringComparer.Ordinal) { ["LANG"] = "C" };
        if (_context.GetEnv("APACHE_CONFDIR") is string cd)
        {
            start["APACHE_CONFDIR"] = cd;
        }

        Dictionary<string, string>? sourced = EnvVars.Source(file, start);
        if (sourced is null)
        {
            _context.Error.Write($"Could not read {file}\n");
            throw new ToolExitException(255);
        }

        var merged = new Dictionary<string, string>(_context.Environment, StringComparer.Ordinal);
        foreach (var (k, v) in sourced)
        {
            merged[k] = v;
        }

        return merged;
    }

    private bool DoIt(string acton)
    {
        string? confTarget = null;
        string? confLink = null;
        if (_kind == EnableKind.Module)
        {
            if (_enable && acton == "cgi" && IsThreaded())
            {
                Out.Write("Your MPM seems to be threaded. Selecting cgid instead of cgi.\n");
                acton = "cgid";
            }

            confTarget = Path.Combine(_availDir, acton + ".conf");
            if (FileLinks.Exists(confTarget))
            {
                confLink = Path.Combine(_enabledDir, acton + ".conf");
            }
        }

        string target = Path.Combine(_availDir, acton + _fileSuffix);
        string link = Path.Combine(_enabledDir, acton + _fileSuffix);

        if (!FileLinks.Exists(target))
        {
            if (FileLinks.IsLink(link) && !FileLinks.Exists(link))
            {
                if (!_enable)
                {
                    Info($"removing dangling symlink {link}\n");
                    FileLinks.TryDelete(link);
                    string danglingConf = Path.Combine(_enabledDir, acton + ".conf");
                    if (FileLinks.IsLink(danglingConf) && !FileLinks.Exists(danglingConf))
                    {
                        Info($"removing dangling symlink {danglingConf}\n");
                        FileLinks.TryDelete(danglingConf);
                    }

                    return true;
                }

                Error($"{link} is a dangling symlink!\n");
            }

            if (_purge)
            {
                _markers!.Switch(Act, acton, _maintainer, _purge);
                return true; // silently: purging anyway
            }

            Error($"{Name} {acton} does not exist!\n");
            return false;
        }

        if (_kind == EnableKind.Module)
        {
            if (_enable)
            {
                if (!DoDependencies(acton, ConfTree.ReadHeader(Path.Combine(_availDir, acton + ".load"), "Depends")) ||
                    !CheckConflicts(acton, ConfTree.ReadHeader(Path.Combine(_availDir, acton + ".load"), "Conflicts")))
                {
                    return false;
                }
            }
            else
            {
                var depending = new List<string>();
                foreach (string enabled in Glob.Expand(_enabledDir, "*.load"))
                {
                    List<string>? deps = ReadHeaderOrReport(Path.Combine(_enabledDir, enabled));
                    if (deps is not null && deps.Contains(acton))
                    {
                        depending.Add(enabled[..^".load".Length]);
                    }
                }

                if (depending.Count > 0)
                {
                    if (!_force)
                    {
                        Error($"The following modules depend on {acton} and need to be disabled first: {string.Join(' ', depending)}\n");
                        return false;
                    }

                    if (!DoDependencies(acton, depending))
                    {
                        return false;
                    }
                }
            }
        }
        else if (_enable && !WarnDependencies(acton, ConfTree.ReadHeader(target, "Depends")))
        {
            return false;
        }

        return _enable ? Enable(acton, target, link, confTarget, confLink) : Disable(acton, link, confLink);
    }

    private bool Enable(string acton, string target, string link, string? confTarget, string? confLink)
    {
        string check = CheckLink(target, link);
        if (check == "ok")
        {
            if (confLink is null)
            {
                Info($"{Name} {acton} already enabled\n");
                return true;
            }

            string confCheck = CheckLink(confTarget!, confLink);
            if (confCheck == "ok")
            {
                Info($"{Name} {acton} already enabled\n");
                return true;
            }

            if (confCheck == "missing")
            {
                Out.Write($"Enabling config file {acton}.conf.\n");
                return AddLink(confTarget!, confLink);
            }

            Error($"Config file {acton}.conf not properly enabled: {confCheck}\n");
            return false;
        }

        if (check != "missing")
        {
            Error($"{Name} {acton} not properly enabled: {check}\n");
            return false;
        }

        if (confLink is not null)
        {
            string confCheck = CheckLink(confTarget!, confLink);
            if (confCheck == "missing")
            {
                if (!AddLink(confTarget!, confLink))
                {
                    return false;
                }
            }
            else if (confCheck != "ok")
            {
                Error($"Config file {acton}.conf not properly enabled: {confCheck}\n");
                return false;
            }
        }

        Out.Write($"Enabling {_obj} {acton}.\n");
        return AddLink(target, link) && _markers!.Switch(Act, acton, _maintainer, _purge);
    }

    private bool Disable(string acton, string link, string? confLink)
    {
        if (FileLinks.Exists(link) || FileLinks.IsLink(link))
        {
            if (_kind == EnableKind.Module && s_essential.Contains(acton) && !_force)
            {
                ConfirmEssential(acton);
            }

            RemoveLink(link);
            if (confLink is not null && FileLinks.Exists(confLink))
            {
                RemoveLink(confLink);
            }

            _markers!.Switch(Act, acton, _maintainer, _purge);
            Out.Write($"{Name} {acton} disabled.\n");
            return true;
        }

        if (confLink is not null && FileLinks.Exists(confLink))
        {
            Out.Write($"Disabling stale config file {acton}.conf.\n");
            RemoveLink(confLink);
            return true;
        }

        Info($"{Name} {acton} already disabled\n");
        if (_purge)
        {
            _markers!.Switch(Act, acton, _maintainer, _purge);
        }

        return true;
    }

    private List<string>? ReadHeaderOrReport(string file, string type = "Depends")
    {
        List<string>? words = ConfTree.ReadHeader(file, type);
        if (words is null)
        {
            Error($"Can't open {file}\n");
        }

        return words;
    }

    private bool DoDependencies(string acton, List<string>? deps)
    {
        foreach (string d in deps ?? [])
        {
            Info($"Considering dependency {d} for {acton}:\n");
            if (!DoIt(d))
            {
                Error($"Could not {Act} dependency {d} for {acton}, aborting\n");
                return false;
            }
        }

        return true;
    }

    // Sites and confs only warn: they cannot enable the modules they need.
    private bool WarnDependencies(string acton, List<string>? deps)
    {
        string modsEnabled = Get(_env, "APACHE_MODS_ENABLED") ?? Path.Combine(_confDir, "mods-enabled");
        foreach (string d in deps ?? [])
        {
            Info($"Checking dependency {d} for {acton}:\n");
            if (!FileLinks.Exists(Path.Combine(modsEnabled, d + ".load")))
            {
                _context.Error.Write($"WARNING: Module {d} is not enabled, but {acton} depends on it, aborting\n");
                return false;
            }
        }

        return true;
    }

    private bool CheckConflicts(string acton, List<string>? conflicts)
    {
        bool failed = false;
        foreach (string d in conflicts ?? [])
        {
            Info($"Considering conflict {d} for {acton}:\n");
            if (CheckLink(Path.Combine(_availDir, d + _fileSuffix), Path.Combine(_enabledDir, d + _fileSuffix)) == "ok")
            {
                // Every conflict is reported before giving up.
                Error($"Module {d} is enabled - cannot proceed due to conflicts. It needs to be disabled first!\n");
                failed = true;
            }
        }

        return !failed;
    }

    private string CheckLink(string target, string link)
    {
        if (!FileLinks.Exists(link))
        {
            if (FileLinks.IsLink(link))
            {
                Info($"Removing dangling link {link}\n");
                if (!FileLinks.TryDelete(link))
                {
                    Die($"Could not remove {link}\n");
                }
            }

            return "missing";
        }

        if (!FileLinks.IsLink(link))
        {
            return $"{link} is a real file, not touching it";
        }

        if (FileLinks.RealPath(link) != FileLinks.RealPath(target))
        {
            return $"{link} exists but does not point to {target}, not touching it";
        }

        return "ok";
    }

    private bool AddLink(string target, string link)
    {
        try
        {
            FileLinks.CreateRelative(target, link);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Die($"Could not create {link}: {e.Message}\n");
        }

        _requestReload = true;
        return true;
    }

    private bool RemoveLink(string link)
    {
        if (FileLinks.IsLink(link))
        {
            if (!FileLinks.TryDelete(link))
            {
                Die($"Could not remove {link}\n");
            }
        }
        else if (FileLinks.Exists(link))
        {
            Error($"{link} is not a symbolic link, not deleting\n");
            return false;
        }

        _requestReload = true;
        return true;
    }

    // cgi forks per request, which a threaded MPM must not do; Debian swaps in cgid. Pluma answers
    // from the tree (the enabled mpm_*.load) rather than by parsing the whole configuration.
    private bool IsThreaded()
    {
        List<string> mpms = ConfTree.EnabledMpms(Path.Combine(_confDir, "mods-enabled"));
        if (mpms.Contains("prefork"))
        {
            return false;
        }

        if (mpms.Count > 0)
        {
            return true;
        }

        Error("Can't determine enabled MPM\n");
        return false; // do what the user asked
    }

    private void ConfirmEssential(string module)
    {
        Out.Write("WARNING: The following essential module will be disabled.\n");
        Out.Write("This might result in unexpected behavior and should NOT be done\n");
        Out.Write($"unless you know exactly what you are doing!\n {module}\n\n");
        Out.Write("To continue type in the phrase 'Yes, do as I say!' or retry by passing '-f': ");
        Out.Flush();
        string? input = _context.In.ReadLine();
        if (input != "Yes, do as I say!")
        {
            Out.Write("Aborting\n");
            throw new ToolExitException(1);
        }
    }

    private void Info(string text)
    {
        if (!_quiet)
        {
            Out.Write(text);
        }
    }

    private void Error(string text) => _context.Error.Write("ERROR: " + text);

    private void Die(string text)
    {
        _context.Error.Write(text);
        throw new ToolExitException(1);
    }
}
