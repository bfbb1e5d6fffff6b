using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.Config.Expressions;
using Pluma.Config.Parsing;

namespace Pluma.Config.Processing;

/// <summary>
/// The processing phase (httpd's <c>ap_process_config_tree</c>): walks the read tree, finds each
/// directive in the loaded modules, checks where it stands and how many arguments it has, and
/// calls its handler with the right server and section records. The per-directory sections and
/// &lt;VirtualHost&gt; are handled here. Stops at the first error, as httpd does.
/// </summary>
internal sealed class ConfigProcessor
{
    // httpd's top level: RSRC_CONF and the override classes except Limit and AuthConfig.
    private const DirectiveScope ServerOverride = DirectiveScope.RsrcConf | (DirectiveScope.OrAll & ~(DirectiveScope.OrLimit | DirectiveScope.OrAuthCfg));
    private const DirectiveScope SectionOverride = DirectiveScope.AccessConf | DirectiveScope.OrAll;

    // Returned instead of an error where an access file's AllowOverride Nonfatal=... says to
    // skip the directive with a warning (config.c invoke_cmd and ap_walk_config_sub).
    private const string Skipped = "\0skipped";

    private readonly ModuleSet _modules;
    private readonly HashSet<string> _warnedNotImplemented = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _moduleCount;

    public ConfigProcessor(ModuleSet modules, string serverRoot, List<ConfigWarning> warnings, ServerConfig? server = null)
    {
        _modules = modules;
        _moduleCount = modules.Registry.Count;
        ServerRoot = serverRoot;
        Warnings = warnings;
        if (server is not null)
        {
            // An access file's processing: the server exists, its records stay as loaded.
            MainServer = server;
            return;
        }

        MainServer = new ServerConfig(false, [], null, 0, _moduleCount);
        foreach (ModuleDescriptor m in modules.Order)
        {
            if (m.CreateServerConfig is not null)
            {
                MainServer.ModuleConfig.SetAt(m.Index, m.CreateServerConfig());
            }

            if (m.CreateDirConfig is not null)
            {
                MainServer.DirDefaults.SetAt(m.Index, m.CreateDirConfig(null));
            }
        }
    }

    public string ServerRoot { get; }

    /// <summary>Whether the module named <paramref name="moduleName"/> is loaded at this point of the reading.</summary>
    public bool IsModuleLoaded(string moduleName)
    {
        foreach (ModuleDescriptor m in _modules.Order)
        {
            if (m.Name == moduleName)
            {
                return true;
            }
        }

        return false;
    }

    public List<ConfigWarning> Warnings { get; }

    public ServerConfig MainServer { get; }

    public List<ServerConfig> VirtualHosts { get; } = [];

    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(ServerRoot, path));

    public void Process(IReadOnlyList<ConfigNode> tree)
    {
        var top = new ProcessContext { Server = MainServer, Vector = MainServer.DirDefaults, Override = ServerOverride, Ancestors = [] };
        Walk(tree, top);
    }

    /// <summary>
    /// ap_parse_htaccess's walk (server/config.c): the access file's directives applied to
    /// <paramref name="vector"/> as a directory section of <paramref name="directory"/>, with only
    /// what <paramref name="overrides"/> allows; its &lt;Files&gt; and &lt;If&gt; sections go to <paramref name="sections"/>.
    /// </summary>
    public void ProcessAccessFile(IReadOnlyList<ConfigNode> tree, string directory, AccessFileOverrides overrides, ModuleConfigVector vector, List<DirSection> sections)
    {
        var context = new ProcessContext
        {
            Server = MainServer,
            Vector = vector,
            Override = overrides.Allowed & DirectiveScope.OrAll,
            Section = SectionKind.Directory,
            SectionPath = directory,
            Ancestors = [],
            AccessFile = overrides,
            OverrideOptions = overrides.OptionsMask,
            TopSections = sections,
        };
        Walk(tree, context);
    }

    internal void ProcessChildren(ConfigNode node, ProcessContext context) => Walk(node.Children, context.With(node));

    internal ModuleConfigVector ProcessDetachedSection(ConfigNode node, ProcessContext context, SectionKind kind, string path)
    {
        var vector = new ModuleConfigVector(_moduleCount);
        var inner = new ProcessContext
        {
            Server = context.Server,
            Vector = vector,
            Override = SectionOverride,
            Section = kind,
            SectionPath = path,
            Parent = node,
            Ancestors = [.. context.Ancestors, node],
        };
        Walk(node.Children, inner);
        return vector;
    }

    internal object? GetServerRecord(ProcessContext context, ModuleDescriptor module)
    {
        object? record = context.Server.ModuleConfig.GetAt(module.Index);
        if (record is null && module.CreateServerConfig is not null)
        {
            record = module.CreateServerConfig();
            context.Server.ModuleConfig.SetAt(module.Index, record);
        }

        return record;
    }

    internal object? GetDirRecord(ProcessContext context, ModuleDescriptor module)
    {
        object? record = context.Vector.GetAt(module.Index);
        if (record is null && module.CreateDirConfig is not null)
        {
            record = module.CreateDirConfig(context.SectionPath);
            context.Vector.SetAt(module.Index, record);
        }

        return record;
    }

    private void Walk(IReadOnlyList<ConfigNode> nodes, ProcessContext context)
    {
        ConfigNode? previous = null;
        foreach (ConfigNode node in nodes)
        {
            string? error = Apply(node, context, previous);
            if (error is not null && !ReferenceEquals(error, Skipped))
            {
                throw new ConfigException(error, node.File, node.Line, ConfigErrorPhase.Process);
            }

            previous = node;
        }
    }

    private string? Apply(ConfigNode node, ProcessContext context, ConfigNode? previous)
    {
        string name = node.Name;
        if (name.Length > 1 && name[0] == '<')
        {
            string? error = null;
            if (TryBuiltInSection(node, context, previous, ref error))
            {
                return error;
            }
        }

        if (!_modules.TryFind(name, out ModuleDescriptor module, out DirectiveDefinition directive))
        {
            if (context.AccessFile is { NonfatalUnknown: true })
            {
                Warnings.Add(new ConfigWarning("AH02296", "Unknown directive " + name.ToLowerInvariant() + " perhaps misspelled or defined by a module not included in the server configuration", node.File, node.Line));
                return Skipped;
            }

            return "Invalid command '" + name + "', perhaps misspelled or defined by a module not included in the server configuration";
        }

        return Invoke(module, directive, node, context);
    }

    private string? Invoke(ModuleDescriptor module, DirectiveDefinition d, ConfigNode node, ProcessContext context)
    {
        string? error = CheckOverride(d.Name, d.Scope, context);
        if (error is not null)
        {
            return error;
        }

        List<string> words = d.Args == DirectiveArgs.RawArgs ? [] : ConfigWord.Split(node.Args);
        error = CheckArgs(d, words, out bool flag);
        if (error is not null)
        {
            return error;
        }

        error = CheckRestrictions(d.Name, d.Restrictions, context);
        if (error is not null)
        {
            return error;
        }

        // Records exist from the first use on, as httpd's ap_set_config_vectors creates them.
        GetServerRecord(context, module);
        GetDirRecord(context, module);
        if ((d.NotImplemented || d.Handler is null) && context.AccessFile is not null)
        {
            // A request must not be served without a rule it cannot apply (fail closed): the
            // server's own files may carry such a directive with a warning, an access file may not.
            return "PL00200: " + d.Name + " is not implemented yet, so an access file that uses it is refused";
        }

        if (d.NotImplemented || d.Handler is null)
        {
            if (_warnedNotImplemented.Add(d.Name))
            {
                Warnings.Add(new ConfigWarning("PL00001", d.Name + " is accepted but not implemented yet", node.File, node.Line));
            }

            return null;
        }

        switch (d.Args)
        {
            case DirectiveArgs.Iterate:
                foreach (string w in words)
                {
                    error = d.Handler(new DirectiveCall(this, context, module, d, node, [w], false));
                    if (error is not null)
                    {
                        return error;
                    }
                }

                return null;
            case DirectiveArgs.Iterate2:
                for (int i = 1; i < words.Count; i++)
                {
                    error = d.Handler(new DirectiveCall(this, context, module, d, node, [words[0], words[i]], false));
                    if (error is not null)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return d.Handler(new DirectiveCall(this, context, module, d, node, words, flag));
        }
    }

    private string? CheckOverride(string name, DirectiveScope scope, ProcessContext context)
    {
        if ((context.Override & scope) != 0)
        {
            return null;
        }

        if (context.AccessFile is { } access)
        {
            if (access.Lists(name))
            {
                return null;
            }

            if (access.NonfatalOverride)
            {
                Warnings.Add(new ConfigWarning("AH02295", name + " in .htaccess forbidden by AllowOverride"));
                return Skipped;
            }
        }

        return context.Parent is null
            ? name + " not allowed here"
            : name + " not allowed in " + context.Parent.Name + "> context";
    }

    // Counts and wording as httpd's invoke_cmd.
    private static string? CheckArgs(DirectiveDefinition d, List<string> w, out bool flag)
    {
        flag = false;
        string help = d.Help is null ? string.Empty : ", " + d.Help;
        int n = w.Count;
        switch (d.Args)
        {
            case DirectiveArgs.NoArgs:
                return n != 0 ? d.Name + " takes no arguments" : null;
            case DirectiveArgs.Take1:
                return n != 1 ? d.Name + " takes one argument" + help : null;
            case DirectiveArgs.Take2:
                return n != 2 ? d.Name + " takes two arguments" + help : null;
            case DirectiveArgs.Take12:
                return n is < 1 or > 2 ? d.Name + " takes 1-2 arguments" + help : null;
            case DirectiveArgs.Take3:
                return n != 3 ? d.Name + " takes three arguments" + help : null;
            case DirectiveArgs.Take23:
                return n is < 2 or > 3 ? d.Name + " takes two or three arguments" + help : null;
            case DirectiveArgs.Take123:
                return n is < 1 or > 3 ? d.Name + " takes one, two or three arguments" + help : null;
            case DirectiveArgs.Take13:
                return n is not (1 or 3) ? d.Name + " takes one or three arguments" + help : null;
            case DirectiveArgs.Iterate2:
                return n < 2 ? d.Name + " requires at least two arguments" + help : null;
            case DirectiveArgs.Flag:
                // httpd reads only the first word of a FLAG directive.
                if (n == 0 || !(w[0].Equals("on", StringComparison.OrdinalIgnoreCase) || w[0].Equals("off", StringComparison.OrdinalIgnoreCase)))
                {
                    return d.Name + " must be On or Off";
                }

                flag = !w[0].Equals("off", StringComparison.OrdinalIgnoreCase);
                return null;
            case DirectiveArgs.TakeArgv:
                if (n > 64)
                {
                    w.RemoveRange(64, n - 64);
                }

                return null;
            default:
                return null;
        }
    }

    // Wording as httpd's ap_check_cmd_context.
    private static string? CheckRestrictions(string name, ContextRestrictions forbidden, ProcessContext context)
    {
        if (forbidden == ContextRestrictions.None)
        {
            return null;
        }

        string gt = name.StartsWith('<') ? ">" : string.Empty;
        if ((forbidden & ContextRestrictions.NotInVirtualHost) != 0 && context.Server.IsVirtual)
        {
            return name + gt + " cannot occur within <VirtualHost> section";
        }

        if ((forbidden & ContextRestrictions.NotInLimit) != 0 && context.Limited is not null)
        {
            return name + gt + " cannot occur within <Limit> or <LimitExcept> section";
        }

        if ((forbidden & ContextRestrictions.NotInDirContext) == ContextRestrictions.NotInDirContext && context.Section != SectionKind.None)
        {
            return name + gt + " cannot occur within directory context";
        }

        foreach (ConfigNode a in context.Ancestors)
        {
            string s = a.Name;
            bool hit = ((forbidden & ContextRestrictions.NotInDirectory) != 0 && (Is(s, "<Directory") || Is(s, "<DirectoryMatch")))
                || ((forbidden & ContextRestrictions.NotInLocation) != 0 && (Is(s, "<Location") || Is(s, "<LocationMatch")))
                || ((forbidden & ContextRestrictions.NotInFiles) != 0
                    && (Is(s, "<Files") || Is(s, "<FilesMatch") || Is(s, "<If") || Is(s, "<ElseIf") || Is(s, "<Else")));
            if (hit)
            {
                return name + gt + " cannot occur within " + s + "> section";
            }
        }

        return null;
    }

    private static bool Is(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);

    private bool TryBuiltInSection(ConfigNode node, ProcessContext context, ConfigNode? previous, ref string? error)
    {
        string n = node.Name;
        if (Is(n, "<VirtualHost"))
        {
            error = VirtualHostSection(node, context);
        }
        else if (Is(n, "<Directory"))
        {
            error = DirectorySection(node, context, SectionKind.Directory, "<Directory", DirectiveScope.RsrcConf);
        }
        else if (Is(n, "<DirectoryMatch"))
        {
            error = DirectorySection(node, context, SectionKind.DirectoryMatch, "<DirectoryMatch", DirectiveScope.RsrcConf);
        }
        else if (Is(n, "<Location"))
        {
            error = DirectorySection(node, context, SectionKind.Location, "<Location", DirectiveScope.RsrcConf);
        }
        else if (Is(n, "<LocationMatch"))
        {
            error = DirectorySection(node, context, SectionKind.LocationMatch, "<LocationMatch", DirectiveScope.RsrcConf);
        }
        else if (Is(n, "<Files"))
        {
            error = DirectorySection(node, context, SectionKind.Files, "<Files", DirectiveScope.OrAll);
        }
        else if (Is(n, "<FilesMatch"))
        {
            error = DirectorySection(node, context, SectionKind.FilesMatch, "<FilesMatch", DirectiveScope.OrAll);
        }
        else if (Is(n, "<If"))
        {
            error = IfSection(node, context, SectionKind.If, "<If", previous);
        }
        else if (Is(n, "<ElseIf"))
        {
            error = IfSection(node, context, SectionKind.ElseIf, "<ElseIf", previous);
        }
        else if (Is(n, "<Else"))
        {
            error = IfSection(node, context, SectionKind.Else, "<Else", previous);
        }
        else if (Is(n, "<Limit") || Is(n, "<LimitExcept"))
        {
            error = LimitSection(node, context, Is(n, "<LimitExcept") ? "<LimitExcept" : "<Limit");
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>The section's argument text without its closing '&gt;', or an error.</summary>
    private static string? SectionArgument(ConfigNode node, string name, out string argument)
    {
        string args = node.Args.TrimEnd();
        argument = string.Empty;
        if (!args.EndsWith('>'))
        {
            return name + "> directive missing closing '>'";
        }

        argument = args[..^1].Trim();
        return null;
    }

    private string? VirtualHostSection(ConfigNode node, ProcessContext context)
    {
        string argument = string.Empty;
        string? error = CheckOverride("<VirtualHost", DirectiveScope.RsrcConf, context);
        error ??= SectionArgument(node, "<VirtualHost", out argument);
        if (error is not null)
        {
            return error;
        }

        List<string> addresses = ConfigWord.Split(argument);
        if (addresses.Count == 0)
        {
            return "<VirtualHost> directive requires additional arguments";
        }

        if (context.Server.IsVirtual)
        {
            return "<VirtualHost> cannot occur within <VirtualHost> section";
        }

        var vhost = new ServerConfig(true, addresses, node.File, node.Line, _moduleCount);
        VirtualHosts.Add(vhost);
        var inner = new ProcessContext
        {
            Server = vhost,
            Vector = vhost.DirDefaults,
            Override = context.Override,
            Parent = node,
            Ancestors = [.. context.Ancestors, node],
        };
        Walk(node.Children, inner);
        return null;
    }

    private string? DirectorySection(ConfigNode node, ProcessContext context, SectionKind kind, string name, DirectiveScope scope)
    {
        string argument = string.Empty;
        string? error = CheckOverride(name, scope, context);
        error ??= SectionArgument(node, name, out argument);
        if (error is not null)
        {
            return error;
        }

        List<string> words = ConfigWord.Split(argument);
        if (words.Count == 0)
        {
            return name + "> directive requires additional arguments";
        }

        if (kind is SectionKind.Files or SectionKind.FilesMatch)
        {
            error = CheckRestrictions(name, ContextRestrictions.NotInLocation, context);
            if (error is not null)
            {
                return error;
            }
        }

        bool regex = kind is SectionKind.DirectoryMatch or SectionKind.FilesMatch or SectionKind.LocationMatch;
        string pattern = words[0];
        int expected = 1;
        if (!regex && pattern == "~")
        {
            regex = true;
            expected = 2;
            pattern = words.Count > 1 ? words[1] : string.Empty;
            kind = kind switch
            {
                SectionKind.Directory => SectionKind.DirectoryMatch,
                SectionKind.Files => SectionKind.FilesMatch,
                _ => SectionKind.LocationMatch,
            };
        }

        if (words.Count > expected)
        {
            return "Multiple " + name + "> arguments not (yet) supported.";
        }

        Regex? compiled = null;
        if (regex)
        {
            try
            {
                compiled = ApacheRegex.Create(pattern);
            }
            catch (ArgumentException)
            {
                return "Regex could not be compiled";
            }
        }
        else if (kind == SectionKind.Directory && !pattern.EndsWith('/'))
        {
            // httpd stores <Directory> paths with a trailing slash and counts components on it.
            pattern += "/";
        }

        return AddSection(node, context, kind, pattern, compiled, null);
    }

    private string? IfSection(ConfigNode node, ProcessContext context, SectionKind kind, string name, ConfigNode? previous)
    {
        string argument = string.Empty;
        string? error = CheckOverride(name, DirectiveScope.OrAll, context);
        error ??= SectionArgument(node, name, out argument);
        if (error is not null)
        {
            return error;
        }

        if (kind != SectionKind.If && (previous is null || !(Is(previous.Name, "<If") || Is(previous.Name, "<ElseIf"))))
        {
            return "<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope";
        }

        ConfigExpression? expression = null;
        if (kind == SectionKind.Else)
        {
            if (argument.Length > 0)
            {
                return "<Else> does not take an argument";
            }
        }
        else
        {
            if (argument.Length == 0)
            {
                return name + "> directive requires additional arguments";
            }

            string text = argument;
            if (text[0] is '"' or '\'')
            {
                int pos = 0;
                text = ConfigWord.Next(argument, ref pos);
            }

            if (!ConfigExpression.TryParse(text, out expression, out string? parseError))
            {
                return "Cannot parse condition clause: " + parseError;
            }
        }

        return AddSection(node, context, kind, expression?.Text ?? string.Empty, null, expression);
    }

    private string? AddSection(ConfigNode node, ProcessContext context, SectionKind kind, string pattern, Regex? regex, ConfigExpression? expression)
    {
        var vector = new ModuleConfigVector(_moduleCount);
        var section = new DirSection(kind, pattern, regex, expression, node.File, node.Line, vector, context.DirSection);
        if (context.DirSection is null)
        {
            (context.TopSections ?? context.Server.SectionList).Add(section);
        }
        else
        {
            context.DirSection.NestedList.Add(section);
        }

        var inner = new ProcessContext
        {
            Server = context.Server,
            Vector = vector,
            // In an access file a section keeps the file's overrides (core.c filesection: "Only
            // if not an .htaccess file" does it open every class).
            Override = context.AccessFile is null ? SectionOverride : context.Override,
            Section = kind,
            SectionPath = pattern,
            DirSection = section,
            Parent = node,
            Ancestors = [.. context.Ancestors, node],
            AccessFile = context.AccessFile,
            OverrideOptions = context.OverrideOptions,
            TopSections = context.TopSections,
        };
        Walk(node.Children, inner);
        return null;
    }

    private string? LimitSection(ConfigNode node, ProcessContext context, string name)
    {
        string argument = string.Empty;
        string? error = CheckOverride(name, DirectiveScope.OrLimit | DirectiveScope.OrAuthCfg, context);
        error ??= SectionArgument(node, name, out argument);
        if (error is not null)
        {
            return error;
        }

        List<string> methods = ConfigWord.Split(argument);
        if (methods.Count == 0)
        {
            return name + "> directive requires additional arguments";
        }

        for (int i = 0; i < methods.Count; i++)
        {
            // httpd keeps method numbers, and HEAD's is GET's (M_GET, http_protocol.c): a
            // <Limit HEAD> is a <Limit GET>, and a nested one intersects as such.
            string method = methods[i].ToUpperInvariant();
            methods[i] = method == "HEAD" ? "GET" : method;
        }

        bool except = name == "<LimitExcept";
        if (context.Limited is not null && !except && !context.LimitExcept)
        {
            // A nested <Limit> keeps only the methods both name (httpd's cmd->limited mask).
            methods.RemoveAll(m => !Contains(context.Limited, m));
            if (methods.Count == 0)
            {
                return "<Limit> directive excludes all methods";
            }
        }

        var inner = new ProcessContext
        {
            Server = context.Server,
            Vector = context.Vector,
            Override = context.Override,
            Section = context.Section,
            SectionPath = context.SectionPath,
            DirSection = context.DirSection,
            Limited = methods,
            LimitExcept = except,
            Parent = node,
            Ancestors = [.. context.Ancestors, node],
            AccessFile = context.AccessFile,
            OverrideOptions = context.OverrideOptions,
            TopSections = context.TopSections,
        };
        Walk(node.Children, inner);
        return null;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (string s in list)
        {
            if (s == value)
            {
                return true;
            }
        }

        return false;
    }
}
