using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace Pluma.Config.Parsing;

/// <summary>
/// The reading phase (httpd's <c>ap_build_config</c>): turns files into a <see cref="ConfigNode"/>
/// tree and runs the read-time directives as it goes, so that their effect is seen by the lines
/// that follow: Include, IncludeOptional, Define, UnDefine, LoadModule, ServerRoot and the
/// conditional sections (&lt;IfModule&gt;, &lt;IfDefine&gt;, &lt;IfFile&gt;, &lt;IfDirective&gt;,
/// &lt;IfSection&gt;, &lt;IfVersion&gt;). Sections must close in the file that opens them.
/// </summary>
internal sealed class ConfigTreeBuilder
{
    // httpd's AP_MAX_INCLUDE_DEPTH.
    private const int MaxIncludeDepth = 128;

    private static readonly string[] s_conditionals = ["<IfModule", "<IfDefine", "<IfFile", "<IfDirective", "<IfSection", "<IfVersion"];

    /// <summary>Directives this layer implements itself; &lt;IfDirective&gt; and &lt;IfSection&gt; see them.</summary>
    internal static readonly string[] BuiltInDirectives =
    [
        "Include", "IncludeOptional", "Define", "UnDefine", "LoadModule", "ServerRoot",
        "<IfModule", "<IfDefine", "<IfFile", "<IfDirective", "<IfSection", "<IfVersion",
        "<VirtualHost", "<Directory", "<DirectoryMatch", "<Files", "<FilesMatch", "<Location", "<LocationMatch",
        "<Limit", "<LimitExcept", "<If", "<ElseIf", "<Else",
    ];

    private readonly ModuleSet _modules;
    private readonly List<string> _defines;
    private readonly Dictionary<string, string> _variables;
    private readonly VariableResolver _resolver;
    private readonly List<ConfigWarning> _warnings;
    private readonly int[] _version;
    private int _includeDepth;

    public ConfigTreeBuilder(
        ModuleSet modules,
        string serverRoot,
        List<string> defines,
        Dictionary<string, string> variables,
        IReadOnlyDictionary<string, string> environment,
        List<ConfigWarning> warnings,
        int[] version)
    {
        _modules = modules;
        ServerRoot = serverRoot;
        _defines = defines;
        _variables = variables;
        _resolver = new VariableResolver(variables, environment);
        _warnings = warnings;
        _version = version;
    }

    public string ServerRoot { get; private set; }

    /// <summary>Where the files come from: the disk, or the parent's record in a child (<see cref="ConfigSnapshot"/>).</summary>
    public IConfigFiles Files { get; init; } = DiskConfigFiles.Instance;

    /// <summary>Include and IncludeOptional read nothing (text held in memory, see <see cref="ConfigLoadOptions"/>).</summary>
    public bool IncludesRefused { get; init; }

    /// <summary>
    /// Set while an access file is read: the read-time directives (Include, Define, LoadModule...
    /// all RSRC_CONF) are not allowed there, and the conditional sections (OR_ALL) only where some
    /// override class is (config.c execute_now runs them through invoke_cmd's override check).
    /// </summary>
    public AccessFileOverrides? AccessFile { get; init; }

    /// <summary>An access file's text; <paramref name="path"/> names it in errors.</summary>
    public void ReadAccessFile(string path, string text, List<ConfigNode> into) =>
        ParseBlock(new LineSource(path, text), into, BlockKind.File, null, []);

    /// <summary>The files read through Include/IncludeOptional so far, in reading order.</summary>
    public List<IncludedFile> Includes { get; } = [];

    private enum BlockKind
    {
        File,
        Section,
        Conditional,
    }

    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(ServerRoot, path));

    /// <summary>Reads a whole file; a file that cannot be opened is an error without a line.</summary>
    public void ReadMainFile(string path, List<ConfigNode> into)
    {
        string text = Files.TryRead(path, out string reason, out string? logged)
            ?? throw new ConfigException("Could not open configuration file " + path + ": " + reason, null, 0, ConfigErrorPhase.Read) { LoggedBefore = logged };

        ParseBlock(new LineSource(path, text), into, BlockKind.File, null, []);
    }

    /// <summary>The main file's text, already in memory (the fuzz harness); <paramref name="path"/> names it in errors.</summary>
    public void ReadMainText(string path, string text, List<ConfigNode> into) =>
        ParseBlock(new LineSource(path, text), into, BlockKind.File, null, []);

    /// <summary>-C or -c directives, one per line of the pseudo file "-c/-C directives".</summary>
    public void ReadCommandLine(IReadOnlyList<string> directives, List<ConfigNode> into)
    {
        if (directives.Count > 0)
        {
            ParseBlock(new LineSource(ConfigException.CommandLineFile, directives), into, BlockKind.File, null, []);
        }
    }

    private void ReadIncludedFile(string path, List<ConfigNode> into)
    {
        string text = Files.TryRead(path, out string reason, out string? logged)
            ?? throw new ReadTimeError("Could not open configuration file " + path + ": " + reason) { LoggedBefore = logged };

        ParseBlock(new LineSource(path, text), into, BlockKind.File, null, []);
    }

    private void ParseBlock(LineSource src, List<ConfigNode> into, BlockKind kind, ConfigNode? open, List<ConfigNode> chain)
    {
        while (src.TryRead(out string raw))
        {
            if (raw.Length == 0 || raw[0] == '#')
            {
                continue;
            }

            int lineNumber = src.LineNumber;
            string line = _resolver.Resolve(raw, _warnings, src.Name, lineNumber);
            int pos = 0;
            string name = ConfigWord.Next(line, ref pos);
            if (name.Length == 0)
            {
                continue;
            }

            string args = line[pos..];
            if (name.StartsWith("</", StringComparison.Ordinal))
            {
                if (!name.EndsWith('>'))
                {
                    throw Error(name + "> directive missing closing '>'", src, lineNumber);
                }

                string closed = name[2..^1];
                if (kind == BlockKind.File)
                {
                    throw Error(name + " without matching <" + closed + " section", src, lineNumber);
                }

                string expected = open!.Name[1..];
                if (string.Equals(closed, expected, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                throw kind == BlockKind.Conditional
                    ? Error(name + " without matching <" + closed + "> section", src, lineNumber)
                    : Error("Expected </" + expected + "> but saw " + name, src, lineNumber);
            }

            if (name[0] == '<')
            {
                if (name.Length > 1 && name[^1] == '>')
                {
                    name = name[..^1];
                }

                if (args.Length == 0)
                {
                    args = ">";
                }

                string? conditional = FindConditional(name);
                if (conditional is not null)
                {
                    if (AccessFile is { } access && (access.Allowed & DirectiveScope.OrAll) == 0 && !access.Lists(conditional))
                    {
                        throw Error(conditional + " not allowed here", src, lineNumber);
                    }

                    var node = new ConfigNode(conditional, args, src.Name, lineNumber);
                    if (EvaluateConditional(node, src))
                    {
                        ParseBlock(src, into, BlockKind.Conditional, node, []);
                    }
                    else
                    {
                        Soak(src, node);
                    }

                    continue;
                }

                var section = new ConfigNode(name, args, src.Name, lineNumber);
                chain.Add(section);
                ParseBlock(src, section.ChildList, BlockKind.Section, section, chain);
                chain.RemoveAt(chain.Count - 1);
                into.Add(section);
                continue;
            }

            if (!RunReadTimeDirective(name, args, src, lineNumber, into))
            {
                into.Add(new ConfigNode(name, args, src.Name, lineNumber));
            }
        }

        if (kind == BlockKind.Conditional)
        {
            throw Error("Expected </" + open!.Name[1..] + "> before end of configuration", open.File, open.Line);
        }

        if (kind == BlockKind.Section)
        {
            // httpd lists every unclosed section, innermost first, and blames the outermost.
            var message = new System.Text.StringBuilder();
            for (int i = chain.Count - 1; i >= 0; i--)
            {
                if (message.Length > 0)
                {
                    message.Append('\n');
                }

                message.Append(chain[i].File).Append(':').Append(chain[i].Line).Append(": ").Append(chain[i].Name).Append("> was not closed.");
            }

            throw Error(message.ToString(), chain[0].File, chain[0].Line);
        }
    }

    /// <summary>Skips a false conditional's body, still checking that nested sections pair up (httpd's ap_soak_end_container).</summary>
    private static void Soak(LineSource src, ConfigNode open)
    {
        List<string> nested = [];
        while (src.TryRead(out string line))
        {
            if (line.Length < 2 || line[0] != '<')
            {
                continue;
            }

            int pos = 0;
            string word = ConfigWord.Next(line, ref pos);
            if (word.StartsWith("</", StringComparison.Ordinal))
            {
                string closed = word.EndsWith('>') ? word[2..^1] : word[2..];
                string expected = nested.Count > 0 ? nested[^1] : open.Name[1..];
                if (!string.Equals(closed, expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw Error("Expected </" + expected + "> but saw </" + closed + ">", open.File, open.Line);
                }

                if (nested.Count == 0)
                {
                    return;
                }

                nested.RemoveAt(nested.Count - 1);
            }
            else
            {
                nested.Add(word.EndsWith('>') ? word[1..^1] : word[1..]);
            }
        }

        throw Error("Expected </" + open.Name[1..] + "> before end of configuration", open.File, open.Line);
    }

    private static string? FindConditional(string name)
    {
        foreach (string c in s_conditionals)
        {
            if (string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        return null;
    }

    private bool EvaluateConditional(ConfigNode node, LineSource src)
    {
        string args = node.Args.TrimEnd();
        if (!args.EndsWith('>'))
        {
            throw Error(node.Name + "> directive missing closing '>'", src, node.Line);
        }

        args = args[..^1];
        if (node.Name == "<IfVersion")
        {
            return EvaluateIfVersion(args, src, node.Line);
        }

        int pos = 0;
        string word = ConfigWord.Next(args, ref pos);
        if (word.Length == 0)
        {
            throw Error(node.Name + "> directive requires additional arguments", src, node.Line);
        }

        bool negate = word[0] == '!';
        if (negate)
        {
            word = word[1..];
        }

        bool result = node.Name switch
        {
            "<IfModule" => _modules.Registry.Find(word) is { } m && _modules.IsLoaded(m),
            "<IfDefine" => _defines.Contains(word),
            "<IfFile" => Files.FileExists(ResolvePath(word)) || Files.DirectoryExists(ResolvePath(word)),
            "<IfDirective" => DirectiveExists(word),
            _ => DirectiveExists("<" + word),
        };
        return result != negate;
    }

    private bool DirectiveExists(string name)
    {
        foreach (string d in BuiltInDirectives)
        {
            if (string.Equals(d, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return _modules.TryFind(name, out _, out _);
    }

    // mod_version: <IfVersion [[!]op] version>, op one of = == < <= > >= ~, or a /regex/ version.
    private bool EvaluateIfVersion(string args, LineSource src, int line)
    {
        List<string> words = ConfigWord.Split(args);
        string op = "=";
        string operand = words.Count > 0 ? words[0] : string.Empty;
        if (words.Count >= 2)
        {
            op = words[0];
            operand = words[1];
        }

        bool negate = op.StartsWith('!');
        if (negate)
        {
            op = op.Length == 1 ? "=" : op[1..];
        }

        string current = _version[0] + "." + _version[1] + "." + _version[2];
        bool result;
        if (op == "~" || ((op == "=" || op == "==") && operand.Length > 1 && operand[0] == '/' && operand[^1] == '/'))
        {
            string pattern = op == "~" ? operand : operand[1..^1];
            try
            {
                result = new Regex(pattern, RegexOptions.CultureInvariant).IsMatch(current);
            }
            catch (ArgumentException)
            {
                throw Error("Regex could not be compiled", src, line);
            }
        }
        else
        {
            if (op is not ("=" or "==" or "<" or "<=" or ">" or ">="))
            {
                throw Error("unrecognized operator '" + op + "'", src, line);
            }

            int cmp = CompareVersion(ParseVersion(operand, src, line));
            result = op switch
            {
                "<" => cmp < 0,
                "<=" => cmp <= 0,
                ">" => cmp > 0,
                ">=" => cmp >= 0,
                _ => cmp == 0,
            };
        }

        return result != negate;
    }

    private int CompareVersion(int[] other)
    {
        for (int i = 0; i < 3; i++)
        {
            if (_version[i] != other[i])
            {
                return _version[i].CompareTo(other[i]);
            }
        }

        return 0;
    }

    private static int[] ParseVersion(string text, LineSource src, int line)
    {
        // Missing parts count as 0: "= 2.4" is 2.4.0, as mod_version reads it.
        string[] parts = text.Split('.');
        int[] v = new int[3];
        if (text.Length == 0 || parts.Length > 3)
        {
            throw Error(VersionError, src, line);
        }

        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !int.TryParse(parts[i], System.Globalization.NumberStyles.None, null, out v[i]))
            {
                throw Error(VersionError, src, line);
            }
        }

        return v;
    }

    private const string VersionError =
        "Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.";

    private bool RunReadTimeDirective(string name, string args, LineSource src, int line, List<ConfigNode> into)
    {
        if (AccessFile is not null && FindReadTime(name) is { } readTime)
        {
            if (!AccessFile.NonfatalOverride)
            {
                throw Error(readTime + " not allowed here", src, line);
            }

            _warnings.Add(new ConfigWarning("AH02295", readTime + " in .htaccess forbidden by AllowOverride"));
            return true;
        }

        if (name.Equals("Include", StringComparison.OrdinalIgnoreCase) || name.Equals("IncludeOptional", StringComparison.OrdinalIgnoreCase))
        {
            bool optional = name.Length > "Include".Length;
            List<string> words = ConfigWord.Split(args);
            if (words.Count != 1)
            {
                throw Error(optional
                    ? "IncludeOptional takes one argument, Name or pattern of the config files to be included; ignored if the file does not exist or the pattern does not match any files"
                    : "Include takes one argument, Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file", src, line);
            }

            RunInclude(ResolvePath(words[0]), optional, src, line, into);
            return true;
        }

        if (name.Equals("Define", StringComparison.OrdinalIgnoreCase))
        {
            List<string> words = ConfigWord.Split(args);
            if (words.Count is < 1 or > 2)
            {
                throw Error("Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.", src, line);
            }

            if (words[0].Contains(':', StringComparison.Ordinal))
            {
                throw Error("Variable name must not contain ':'", src, line);
            }

            if (!_defines.Contains(words[0]))
            {
                _defines.Add(words[0]);
            }

            if (words.Count == 2)
            {
                _variables[words[0]] = words[1];
            }

            return true;
        }

        if (name.Equals("UnDefine", StringComparison.OrdinalIgnoreCase))
        {
            List<string> words = ConfigWord.Split(args);
            if (words.Count != 1)
            {
                throw Error("UnDefine takes one argument, Undefine the existence of a variable. Undo a Define.", src, line);
            }

            _defines.Remove(words[0]);
            _variables.Remove(words[0]);
            return true;
        }

        if (name.Equals("LoadModule", StringComparison.OrdinalIgnoreCase))
        {
            List<string> words = ConfigWord.Split(args);
            if (words.Count != 2)
            {
                throw Error("LoadModule takes two arguments, a module name and the name of a shared object file to load it from", src, line);
            }

            ModuleDescriptor? module = _modules.Registry.FindByName(words[0]);
            if (module is null)
            {
                // PL00002 (docs/log-ids.md): Pluma has no shared objects, only built-in modules.
                throw Error("Cannot load " + words[1] + " into server: Pluma has no module named " + words[0], src, line);
            }

            if (!_modules.Add(module))
            {
                _warnings.Add(new ConfigWarning("AH01574", "module " + module.Name + " is already loaded, skipping", src.Name, line));
            }

            return true;
        }

        if (name.Equals("ServerRoot", StringComparison.OrdinalIgnoreCase))
        {
            List<string> words = ConfigWord.Split(args);
            if (words.Count != 1)
            {
                throw Error("ServerRoot takes one argument, Common directory of server-related files (logs, confs, etc.)", src, line);
            }

            string root = ResolvePath(words[0]);
            if (!Files.DirectoryExists(root))
            {
                throw Error("ServerRoot must be a valid directory", src, line);
            }

            ServerRoot = root.Length > 1 ? root.TrimEnd('/') : root;
            return true;
        }

        return false;
    }

    private static string? FindReadTime(string name)
    {
        foreach (string d in BuiltInDirectives)
        {
            if (d[0] != '<' && d.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return d;
            }
        }

        return null;
    }

    private void RunInclude(string path, bool optional, LineSource src, int line, List<ConfigNode> into)
    {
        if (_includeDepth >= MaxIncludeDepth)
        {
            throw Error("Exceeded maximum include depth of " + MaxIncludeDepth + ", There appears to be a recursion.", src, line);
        }

        if (IncludesRefused)
        {
            if (optional)
            {
                return;
            }

            throw Error("Could not open configuration file " + path + ": No such file or directory", src, line);
        }

        _includeDepth++;
        try
        {
            int depth = _includeDepth - 1;
            IncludeExpander.Expand(Files, path, optional, file =>
            {
                Includes.Add(new IncludedFile(file, line, depth));
                ReadIncludedFile(file, into);
            });
        }
        catch (ReadTimeError e)
        {
            throw new ConfigException(e.Message, src.Name, line, ConfigErrorPhase.Read) { LoggedBefore = e.LoggedBefore };
        }
        catch (ConfigException e) when (e.File is not null)
        {
            throw new ConfigException("Syntax error on line " + e.Line + " of " + e.File + ": " + e.Reason, src.Name, line, ConfigErrorPhase.Read) { LoggedBefore = e.LoggedBefore };
        }
        finally
        {
            _includeDepth--;
        }
    }

    private static ConfigException Error(string message, LineSource src, int line) => Error(message, src.Name, line);

    private static ConfigException Error(string message, string file, int line) =>
        new(message, file, line, ConfigErrorPhase.Read);
}
