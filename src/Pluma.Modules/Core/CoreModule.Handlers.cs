using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;

namespace Pluma.Modules.Core;

/// <summary>The directive handlers of core that are more than a one-line binder (core.c's set_* functions).</summary>
public static partial class CoreModule
{
    // set_sethandler: handler names are lower-cased, except a "proxy:unix:" one, whose socket
    // path is a file name (Debian's php8.2-fpm.conf names /run/php/php8.2-fpm.sock).
    private static string SetHandlerName(string arg) =>
        arg.Equals("none", StringComparison.OrdinalIgnoreCase) ? ""
        : arg.StartsWith("proxy:unix", StringComparison.Ordinal) ? arg : arg.ToLowerInvariant();

    private static DirectiveHandler Dir(Action<CoreDirConfig, DirectiveCall> set) => call =>
    {
        set(call.GetDirRecord<CoreDirConfig>(), call);
        return null;
    };

    private static DirectiveHandler Main(Action<MainServerSettings, DirectiveCall> set) => call =>
    {
        set(call.GetServerRecord<CoreServerConfig>().Main, call);
        return null;
    };

    private static string? SetServerName(DirectiveCall call)
    {
        // ServerName [scheme://]fully-qualified-domain-name[:port]
        string arg = call.Args[0];
        int scheme = arg.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            arg = arg[(scheme + 3)..];
        }

        var c = call.GetServerRecord<CoreServerConfig>();
        int colon = arg.LastIndexOf(':');
        if (colon > 0 && arg.IndexOf(']', StringComparison.Ordinal) < colon)
        {
            if (!int.TryParse(arg[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                return "The port number \"" + arg[(colon + 1)..] + "\" is outside the appropriate range (i.e., 1..65535).";
            }

            c.ServerNamePort = port;
            arg = arg[..colon];
        }

        c.ServerName = arg;
        return null;
    }

    private static string? SetServerAlias(DirectiveCall call)
    {
        if (!call.IsVirtualHost)
        {
            return "ServerAlias only used in <VirtualHost>";
        }

        call.GetServerRecord<CoreServerConfig>().ServerAliases.AddRange(call.RawArgs.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return null;
    }

    private static string? SetLogLevel(DirectiveCall call)
    {
        var c = call.GetServerRecord<CoreServerConfig>();
        foreach (string word in call.RawArgs.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = word.IndexOf(':', StringComparison.Ordinal);
            string level = colon < 0 ? word : word[(colon + 1)..];
            if (!Connections.Diagnostics.ErrorLogFormat.TryParseLevel(level, out _))
            {
                return "LogLevel requires level keyword: one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8";
            }

            if (colon < 0)
            {
                c.LogLevel = level.ToLowerInvariant();
            }
            else
            {
                c.ModuleLogLevels[word[..colon]] = level.ToLowerInvariant();
            }
        }

        return null;
    }

    private static string? SetHostnameLookups(DirectiveCall call)
    {
        string v = call.Args[0].ToLowerInvariant();
        if (v is not ("on" or "off" or "double"))
        {
            return "parameter must be 'on', 'off', or 'double'";
        }

        call.GetServerRecord<CoreServerConfig>().HostnameLookups = v != "off";
        return null;
    }

    /// <summary>
    /// MaxRanges, MaxRangeOverlaps, MaxRangeReversals (core.c set_max_ranges and friends):
    /// "none" (0: ranges ignored), "unlimited" (-1), "default" (Apache's compiled value, set
    /// explicitly so it overrides an outer section) or a positive number.
    /// </summary>
    private static string? SetMaxRangeLimit(DirectiveCall call, Action<CoreDirConfig, int> set, int compiledDefault)
    {
        string arg = call.Args[0];
        int value;
        if (arg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            value = 0;
        }
        else if (arg.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            value = -1;
        }
        else if (arg.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            value = compiledDefault;
        }
        else if (!int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value <= 0)
        {
            return call.Directive.Name + " requires 'none', 'default', 'unlimited' or a positive integer";
        }

        set(call.GetDirRecord<CoreDirConfig>(), value);
        return null;
    }

    private static string? SetLimitRequestBody(DirectiveCall call)
    {
        if (!long.TryParse(call.Args[0], NumberStyles.None, CultureInfo.InvariantCulture, out long limit))
        {
            return "LimitRequestBody argument is not parsable.";
        }

        call.GetDirRecord<CoreDirConfig>().LimitRequestBody = limit;
        return null;
    }

    private static string? SetHttpProtocolOptions(DirectiveCall call)
    {
        var c = call.GetServerRecord<CoreServerConfig>();
        foreach (string option in call.Args)
        {
            switch (option.ToLowerInvariant())
            {
                case "strict": c.StrictProtocol = true; break;
                case "unsafe": c.StrictProtocol = false; break;
                case "registeredmethods": c.RegisteredMethodsOnly = true; break;
                case "lenientmethods": c.RegisteredMethodsOnly = false; break;
                case "allow0.9": c.AllowHttp09 = true; break;
                case "require1.0": c.AllowHttp09 = false; break;
                default: return "HttpProtocolOptions does not accept " + option;
            }
        }

        return null;
    }

    private static string? SetServerTokens(DirectiveCall call)
    {
        string v = call.Args[0].ToLowerInvariant();
        string? canonical = v switch
        {
            "os" => "OS",
            "min" or "minimal" => "Minimal",
            "major" => "Major",
            "minor" => "Minor",
            "prod" or "productonly" => "Prod",
            "full" => "Full",
            _ => null,
        };
        if (canonical is null)
        {
            return "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'";
        }

        call.GetServerRecord<CoreServerConfig>().Main.ServerTokens = canonical;
        return null;
    }

    private static string? SetServerSignature(DirectiveCall call)
    {
        string v = call.Args[0].ToLowerInvariant();
        if (v is not ("on" or "off" or "email"))
        {
            return "ServerSignature: use one of: off | on | email";
        }

        call.GetDirRecord<CoreDirConfig>().ServerSignature = v;
        return null;
    }

    private static string? SetOptions(DirectiveCall call)
    {
        var d = call.GetDirRecord<CoreDirConfig>();
        CoreOptions absolute = CoreOptions.None;
        bool sawAbsolute = false, sawRelative = false;
        CoreOptions add = CoreOptions.None, remove = CoreOptions.None;
        foreach (string word in call.RawArgs.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            char sign = word[0] is '+' or '-' ? word[0] : '\0';
            string name = sign == '\0' ? word : word[1..];
            CoreOptions? opt = name.ToLowerInvariant() switch
            {
                "indexes" => CoreOptions.Indexes,
                "includes" => CoreOptions.Includes,
                "includesnoexec" => CoreOptions.IncludesNoExec,
                "followsymlinks" => CoreOptions.FollowSymLinks,
                "symlinksifownermatch" => CoreOptions.SymLinksIfOwnerMatch,
                "execcgi" => CoreOptions.ExecCgi,
                "multiviews" => CoreOptions.MultiViews,
                "all" => CoreOptions.All,
                "none" => CoreOptions.None,
                _ => null,
            };
            if (opt is null)
            {
                return "Illegal option " + name;
            }

            // In an access file, only what AllowOverride Options=... allows (set_options).
            int required = (int)AllowOverrideSetting.Required(opt.Value);
            if ((call.OverrideOptions & required) != required)
            {
                return "Option " + name + " not allowed here";
            }

            if (sign == '\0')
            {
                if (sawRelative)
                {
                    return "Either all Options must start with + or -, or no Option may.";
                }

                sawAbsolute = true;
                absolute |= opt.Value;
            }
            else
            {
                if (sawAbsolute)
                {
                    return "Either all Options must start with + or -, or no Option may.";
                }

                sawRelative = true;
                if (sign == '+')
                {
                    add |= opt.Value;
                    remove &= ~opt.Value;
                }
                else
                {
                    remove |= opt.Value;
                    add &= ~opt.Value;
                }
            }
        }

        if (sawAbsolute)
        {
            d.Options = absolute;
            d.OptionsAdd = CoreOptions.None;
            d.OptionsRemove = CoreOptions.None;
        }
        else
        {
            d.OptionsAdd |= add;
            d.OptionsRemove |= remove;
        }

        return null;
    }

    private static string? SetAllowOverride(DirectiveCall call)
    {
        string? error = AllowOverrideSetting.TryParse(call.RawArgs, out var overrides);
        call.GetDirRecord<CoreDirConfig>().AllowOverride = overrides;
        return error;
    }

    // core.c set_override_list: "None" alone leaves the list unset (NULL), which the directory
    // walk's mini-merge does not let override an inherited list.
    private static string? SetAllowOverrideList(DirectiveCall call)
    {
        if (AllowOverrideSetting.ParseList(call.Args) is { } list)
        {
            call.GetDirRecord<CoreDirConfig>().AllowOverrideList = list;
        }

        return null;
    }

    // core.c set_access_name: the names are kept as one list, each looked for in every directory walked.
    // core.c set_protocols: the list replaces any earlier one; names compare case-insensitively.
    private static string? SetProtocols(DirectiveCall call)
    {
        var protocols = new List<string>(call.Args.Count);
        foreach (string arg in call.Args)
        {
            protocols.Add(arg.ToLowerInvariant());
        }

        call.GetServerRecord<CoreServerConfig>().Protocols = protocols;
        return null;
    }

    private static string? SetAccessFileName(DirectiveCall call)
    {
        call.GetServerRecord<CoreServerConfig>().AccessFileNames = [.. call.Args];
        return null;
    }

    private static string? SetFileETag(DirectiveCall call)
    {
        var d = call.GetDirRecord<CoreDirConfig>();
        if (!Http.Protocol.FileETagSetting.TryApply(d.FileETag, call.RawArgs.Trim(), out var setting, out string? error))
        {
            return error;
        }

        d.FileETag = setting;
        return null;
    }

    /// <summary>core.c set_accept_path_info: on, off or default, any case.</summary>
    private static string? SetAcceptPathInfo(DirectiveCall call)
    {
        CoreDirConfig d = call.GetDirRecord<CoreDirConfig>();
        switch (call.Args[0].ToLowerInvariant())
        {
            case "on": d.AcceptPathInfo = true; break;
            case "off": d.AcceptPathInfo = false; break;
            case "default": d.AcceptPathInfo = null; break;
            default: return "AcceptPathInfo must be set to on, off or default";
        }

        d.AcceptPathInfoSet = true;
        return null;
    }

    private static string? SetErrorDocument(DirectiveCall call)
    {
        if (!int.TryParse(call.Args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 400 || status > 599)
        {
            return "Unsupported HTTP response code " + call.Args[0];
        }

        // core.c set_error_document's heuristic on the word as read (quotes already taken off):
        // a space makes it a message, a leading '/' a local path, a scheme a URL to redirect to,
        // "default" Apache's own page, anything else a message. A message is kept with a leading
        // '"', as Apache keeps it, so that the answer can tell it from a path or a URL.
        string doc = call.Args[1];
        if (doc.Contains(' ', StringComparison.Ordinal) || (doc[0] != '/' && !ErrorDocumentTarget.IsUrl(doc)))
        {
            doc = string.Equals(doc, ErrorDocumentTarget.Default, StringComparison.OrdinalIgnoreCase) ? ErrorDocumentTarget.Default : "\"" + doc;
        }
        else if (status == 401 && doc[0] != '/')
        {
            call.AddWarning("AH00113", call.File + ":" + call.Line.ToString(CultureInfo.InvariantCulture) + " cannot use a full URL in a 401 ErrorDocument directive --- ignoring!");
            return null;
        }

        call.GetDirRecord<CoreDirConfig>().ErrorDocuments[status] = doc;
        return null;
    }

    private static string? SetAddDefaultCharset(DirectiveCall call)
    {
        string v = call.Args[0];
        call.GetDirRecord<CoreDirConfig>().AddDefaultCharset =
            v.Equals("off", StringComparison.OrdinalIgnoreCase) ? ""
            : v.Equals("on", StringComparison.OrdinalIgnoreCase) ? "iso-8859-1"
            : v;
        return null;
    }

    private static string? SetListen(DirectiveCall call)
    {
        string arg = call.Args[0];
        string address = "*";
        string portText = arg;
        int colon = arg.LastIndexOf(':');
        if (colon >= 0)
        {
            address = arg[..colon].Trim('[', ']');
            portText = arg[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return "Port must be specified";
        }

        var main = call.GetServerRecord<CoreServerConfig>().Main;
        foreach (ListenDirective l in main.Listen)
        {
            if (l.Address == address && l.Port == port)
            {
                // Apache: "Cannot define multiple Listeners on the same IP:port".
                return "Cannot define multiple Listeners on the same IP:port";
            }
        }

        main.Listen.Add(new ListenDirective(address, port, call.Args.Count > 1 ? call.Args[1] : null, call.File, call.Line));
        return null;
    }

    private static string? SetListenBacklog(DirectiveCall call)
    {
        int b = DirectiveBinders.CAtoi(call.Args[0]);
        if (b < 1)
        {
            return "ListenBacklog must be > 0";
        }

        call.GetServerRecord<CoreServerConfig>().Main.ListenBacklog = b;
        return null;
    }

    /// <summary>core.c set_accf_map: any protocol, any filter name (Linux knows no names to check them against).</summary>
    private static string? SetAcceptFilter(DirectiveCall call)
    {
        call.GetServerRecord<CoreServerConfig>().Main.AcceptFilters.Set(call.Args[0], call.Args[1]);
        return null;
    }

    private static string? SetListenCoresBucketsRatio(DirectiveCall call)
    {
        int ratio = DirectiveBinders.CAtoi(call.Args[0]);
        if (ratio < 1)
        {
            return "ListenCoresBucketsRatio must be > 0";
        }

        call.GetServerRecord<CoreServerConfig>().Main.ListenCoresBucketsRatio = ratio;
        return null;
    }

    private static string? SetPidFile(DirectiveCall call)
    {
        call.GetServerRecord<CoreServerConfig>().Main.PidFile = call.ResolvePath(call.Args[0]);
        return null;
    }

    private static string? SetDefaultRuntimeDir(DirectiveCall call)
    {
        string dir = call.ResolvePath(call.Args[0]);
        if (!System.IO.Directory.Exists(dir))
        {
            return "DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot";
        }

        call.GetServerRecord<CoreServerConfig>().Main.DefaultRuntimeDir = dir;
        return null;
    }
}
