using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Pluma.Host;

/// <summary>
/// apache2's command line, parsed the way its getopt string does it (main.c): one-letter
/// options that may be grouped (<c>-tS</c>), values attached or separate (<c>-DX</c>, <c>-D X</c>).
/// Hand-written rather than System.CommandLine because Apache's grammar, its
/// "illegal option" message and its usage text must match exactly.
/// </summary>
internal static class CommandLineParser
{
    // Letters that take a value, as in apache2's "C:c:D:d:E:e:f:k:..." getopt string.
    private const string ValueLetters = "CcDdEefk";
    private const string FlagLetters = "hlLtTvVXSM";

    /// <summary>Parses <paramref name="args"/>; on error writes Apache's message and usage.</summary>
    /// <param name="error">
    /// Where the message goes, asked for only on an error: setting up Console.Error is about 2%
    /// of every exec'd child's start, and a child's command line is its parent's, already parsed.
    /// </param>
    public static CommandLineOptions? Parse(IReadOnlyList<string> args, string programName, Func<TextWriter> error)
    {
        var options = new CommandLineOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                // getopt stops at the first non-option; apache2 then complains about it.
                Usage(programName, error());
                return null;
            }

            for (int j = 1; j < arg.Length; j++)
            {
                char letter = arg[j];
                if (ValueLetters.Contains(letter, StringComparison.Ordinal))
                {
                    string? value = j + 1 < arg.Length ? arg[(j + 1)..] : (i + 1 < args.Count ? args[++i] : null);
                    if (value is null)
                    {
                        error().WriteLine($"{programName}: option requires an argument -- {letter}");
                        Usage(programName, error());
                        return null;
                    }

                    Apply(options, letter, value);
                    if (letter == 'k' && value == "advise")
                    {
                        // Pluma's MPM advisor takes its own long options after the verb.
                        options.AdviseArguments.AddRange(args.Skip(i + 1));
                        return options;
                    }

                    break;
                }

                if (!FlagLetters.Contains(letter, StringComparison.Ordinal))
                {
                    error().WriteLine($"{programName}: illegal option -- {letter}");
                    Usage(programName, error());
                    return null;
                }

                Apply(options, letter, null);
            }
        }

        return options;
    }

    private static void Apply(CommandLineOptions o, char letter, string? value)
    {
        switch (letter)
        {
            case 'C': o.PreDirectives.Add(value!); break;
            case 'c': o.PostDirectives.Add(value!); break;
            case 'D': o.Defines.Add(value!); break;
            case 'd': o.ServerRoot = value; break;
            case 'E': o.StartupErrorLog = value; break;
            case 'e': o.StartupLogLevel = value; break;
            case 'f': o.ConfigFile = value; break;
            case 'k': o.Signal = value; break;
            case 'h': o.ShowHelp = true; break;
            case 'l': o.ListCompiledModules = true; break;
            case 'L': o.ListDirectives = true; break;
            case 't': o.ConfigTest = true; break;
            case 'T': o.SkipDocumentRootCheck = true; break;
            case 'v': o.ShowVersion = true; break;
            case 'V': o.ShowCompileSettings = true; break;
            case 'X': o.Defines.Add("ONE_PROCESS"); break;
            case 'S':
                o.ConfigTest = true;
                o.Defines.Add("DUMP_VHOSTS");
                o.Defines.Add("DUMP_RUN_CFG");
                break;
            case 'M':
                o.ConfigTest = true;
                o.Defines.Add("DUMP_MODULES");
                break;
            default:
                throw new InvalidOperationException("unreachable option " + letter);
        }
    }

    /// <summary>apache2's usage text (-h, and after a bad option), on <paramref name="w"/>.</summary>
    public static void Usage(string programName, TextWriter w)
    {
        string pad = new(' ', programName.Length + 8);
        w.WriteLine($"Usage: {programName} [-D name] [-d directory] [-f file]");
        w.WriteLine($"{pad}[-C \"directive\"] [-c \"directive\"]");
        w.WriteLine($"{pad}[-k start|restart|graceful|graceful-stop|stop]");
        w.WriteLine($"{pad}[-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]");
        w.WriteLine("Options:");
        w.WriteLine("  -D name            : define a name for use in <IfDefine name> directives");
        w.WriteLine("  -d directory       : specify an alternate initial ServerRoot");
        w.WriteLine("  -f file            : specify an alternate ServerConfigFile");
        w.WriteLine("  -C \"directive\"     : process directive before reading config files");
        w.WriteLine("  -c \"directive\"     : process directive after reading config files");
        w.WriteLine("  -e level           : show startup errors of level (see LogLevel)");
        w.WriteLine("  -E file            : log startup errors to file");
        w.WriteLine("  -v                 : show version number");
        w.WriteLine("  -V                 : show compile settings");
        w.WriteLine("  -h                 : list available command line options (this page)");
        w.WriteLine("  -l                 : list compiled in modules");
        w.WriteLine("  -L                 : list available configuration directives");
        w.WriteLine("  -t -D DUMP_VHOSTS  : show parsed vhost settings");
        w.WriteLine("  -t -D DUMP_RUN_CFG : show parsed run settings");
        w.WriteLine("  -S                 : a synonym for -t -D DUMP_VHOSTS -D DUMP_RUN_CFG");
        w.WriteLine("  -t -D DUMP_MODULES : show all loaded modules ");
        w.WriteLine("  -M                 : a synonym for -t -D DUMP_MODULES");
        w.WriteLine("  -t -D DUMP_INCLUDES: show all included configuration files");
        w.WriteLine("  -t                 : run syntax check for config files");
        w.WriteLine("  -T                 : start without DocumentRoot(s) check");
        w.WriteLine("  -X                 : debug mode (only one worker, do not detach)");
    }
}
