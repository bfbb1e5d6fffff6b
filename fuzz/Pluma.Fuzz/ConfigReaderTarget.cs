using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Pluma.Config;
using Pluma.Config.Parsing;
using Pluma.Modules.Alias;
using Pluma.Modules.Authz;
using Pluma.Modules.Autoindex;
using Pluma.Modules.Core;
using Pluma.Modules.Dir;
using Pluma.Modules.LogConfig;
using Pluma.Modules.Mime;
using Pluma.Modules.AuthBasic;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.AuthnFile;
using Pluma.Modules.AuthzGroupfile;
using Pluma.Modules.AuthzUser;
using Pluma.Modules.Deflate;
using Pluma.Modules.Env;
using Pluma.Modules.Expires;
using Pluma.Modules.Filter;
using Pluma.Modules.Headers;
using Pluma.Modules.Negotiation;
using Pluma.Modules.SetEnvIf;
using Pluma.Modules.ReqTimeout;
using Pluma.Modules.Status;

namespace Pluma.Fuzz;

/// <summary>
/// The configuration reader: the input is the text of apache2.conf, read in memory (no Include
/// reaches a file), split into lines and words (LineSource, ConfigWord), run through the
/// read-time directives and then every directive of Pluma's HTTP modules with its arguments
/// (ConfigProcessor). Promises:
/// <list type="bullet">
/// <item>any text either loads or is refused with a <see cref="ConfigException"/> that names the
///   file and a line that exists; nothing else escapes;</item>
/// <item>the word splitter takes what it is given and gives it back: words re-quoted and joined
///   split into the same words (ap_getword_conf's rules).</item>
/// </list>
/// </summary>
public static class ConfigReaderTarget
{
    private static readonly ModuleRegistry s_registry = new(new[]
    {
        CoreModule.Descriptor, StaticModules.So, StaticModules.Watchdog, StaticModules.Http,
        LogConfigModule.Create().Descriptor, StaticModules.Logio, StaticModules.Version, StaticModules.Unixd,
        AccessCompatModule.Create().Descriptor, AliasModule.Create().Descriptor, AuthzCoreModule.Create().Descriptor,
        AuthzCoreModule.CreateHost().Descriptor, AutoindexModule.Create().Descriptor, DirModule.Create().Descriptor,
        MimeModule.Create().Descriptor, ReqTimeoutModule.Create().Descriptor, StatusModule.Create().Descriptor,
        AuthBasicModule.Create().Descriptor, AuthnCoreModule.Create().Descriptor, AuthnFileModule.Create().Descriptor,
        AuthzGroupfileModule.Create().Descriptor, AuthzUserModule.Create().Descriptor, DeflateModule.Create().Descriptor,
        EnvModule.Create().Descriptor, ExpiresModule.Create().Descriptor, FilterModule.Create().Descriptor,
        HeadersModule.Create().Descriptor, NegotiationModule.Create().Descriptor, SetEnvIfModule.Create().Descriptor,
    });

    /// <summary>A ServerRoot that is never created: relative paths resolve to nothing.</summary>
    private static readonly string s_root = Path.Combine(Path.GetTempPath(), "pluma-fuzz-no-such-root");

    public static void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        string[] physical = text.Split('\n');
        foreach (string line in physical)
        {
            CheckWordsRoundTrip(line);
        }

        int lineCount = physical.Length - (physical[^1].Length == 0 ? 1 : 0);
        var options = new ConfigLoadOptions
        {
            Registry = s_registry,
            ServerRoot = s_root,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal),
            MainFileText = text,
        };
        try
        {
            LoadedConfig loaded = ConfigLoader.Load(options);
            Invariant.Check(loaded.MainServer is not null, "a loaded configuration has a main server");
        }
        catch (ConfigException e)
        {
            // A start-up refusal (AH00543 bad user name, ...) is about the whole configuration,
            // as Apache's is: it names no line. Every other refusal points at one.
            Invariant.Check(e.Phase == ConfigErrorPhase.Startup || (e.File is not null && e.Line >= 1 && e.Line <= lineCount), "a refusal names the file and a line that exists: " + e.File + ":" + e.Line + " of " + lineCount + " (" + e.Reason + ")");
            Invariant.Check(!string.IsNullOrEmpty(e.Reason), "a refusal says why");
        }
    }

    private static void CheckWordsRoundTrip(string line)
    {
        List<string> words = ConfigWord.Split(line);
        int pos = 0;
        for (int calls = 0; pos < line.Length; calls++)
        {
            int before = pos;
            ConfigWord.Next(line, ref pos);
            Invariant.Check(pos > before && pos <= line.Length && calls <= line.Length, "each word moves the splitter forward, never past the line");
        }

        var joined = new StringBuilder();
        foreach (string w in words)
        {
            if (w.Length == 0 || (w[^1] == '\\' && NeedsQuotes(w)))
            {
                return; // "" ends an argument list in httpd; a quoted word cannot end in '\'
            }

            joined.Append(NeedsQuotes(w) ? "\"" + w.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : w).Append(' ');
        }

        List<string> again = ConfigWord.Split(joined.ToString());
        Invariant.Check(again.SequenceEqual(words), "words re-quoted and joined split into the same words");
    }

    private static bool NeedsQuotes(string w) => w[0] is '"' or '\'' || w.Any(ConfigWord.IsSpace);
}
