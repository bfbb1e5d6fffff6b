using System.Collections.Generic;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.LogConfig;

/// <summary>
/// mod_log_config (static in Debian): LogFormat, CustomLog, TransferLog. Logs are opened once per
/// process by <see cref="OpenLogs(ServerRuntime)"/> (also run as the Initialize hook) and closed by
/// <see cref="CloseLogs(ServerRuntime)"/>; the log hook renders each line into a per-thread buffer and writes
/// it with one write(2) per log.
/// </summary>
public static class LogConfigModule
{
    public const string Name = "log_config_module";

    [ThreadStatic]
    private static LogBuffer? t_buffer;

    [ThreadStatic]
    private static RequestLogSource? t_source;

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_log_config.c", () =>
        [
            new DirectiveDefinition("CustomLog", DirectiveArgs.Take23, DirectiveScope.RsrcConf,
                "a file name, a custom log format string or format name, and an optional \"env=\" or \"expr=\" clause (see docs)", AddLog),
            DirectiveDefinition.Pending("GlobalLog", DirectiveArgs.Take23, DirectiveScope.RsrcConf,
                "Same as CustomLog, but forces virtualhosts to inherit the log"),
            new DirectiveDefinition("TransferLog", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the filename of the access log", AddLog),
            new DirectiveDefinition("LogFormat", DirectiveArgs.Take12, DirectiveScope.RsrcConf,
                "a log format string (see docs) and an optional format name", SetFormat),
            DirectiveDefinition.Pending("BufferedLogs", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Enable Buffered Logging (experimental)"),
        ])
        {
            IsStatic = true,
            CreateServerConfig = () => new LogConfigServerConfig(),
            MergeServerConfig = (b, a) => LogConfigServerConfig.Merge((LogConfigServerConfig)b, (LogConfigServerConfig)a),
        };
        return new HttpModule(descriptor)
        {
            Initialize = runtime => OpenLogs(runtime, descriptor),
            Log = r => Transaction(r, descriptor),
        };
    }

    /// <summary>Opens the logs of the loaded log_config module (what its Initialize hook does); no-op when it is not loaded.</summary>
    public static void OpenLogs(ServerRuntime runtime)
    {
        if (runtime.Find(Name) is { } m)
        {
            OpenLogs(runtime, m.Descriptor);
        }
    }

    /// <summary>Closes the files the loaded log_config module opened for <paramref name="runtime"/> (at generation end).</summary>
    public static void CloseLogs(ServerRuntime runtime)
    {
        if (runtime.Find(Name) is { } m)
        {
            CloseLogs(runtime, m.Descriptor);
        }
    }

    /// <summary>Opens every log of the main server and the virtual hosts (each path once) and compiles their formats.</summary>
    public static void OpenLogs(ServerRuntime runtime, ModuleDescriptor descriptor)
    {
        var opened = new Dictionary<string, LogFile>(StringComparer.Ordinal);
        Open(runtime, runtime.Config.MainServer, descriptor, opened);
        foreach (ServerConfig vhost in runtime.Config.VirtualHosts)
        {
            Open(runtime, vhost, descriptor, opened);
        }
    }

    /// <summary>Closes the files <see cref="OpenLogs(ServerRuntime)"/> opened for this configuration.</summary>
    public static void CloseLogs(ServerRuntime runtime, ModuleDescriptor descriptor)
    {
        foreach (ServerConfig s in (ServerConfig[])[runtime.Config.MainServer, .. runtime.Config.VirtualHosts])
        {
            if (s.ModuleConfig.Get<LogConfigServerConfig>(descriptor) is { } conf)
            {
                foreach (LogTarget t in conf.Logs)
                {
                    t.File?.Dispose();
                }
            }
        }
    }

    private static void Open(ServerRuntime runtime, ServerConfig server, ModuleDescriptor descriptor, Dictionary<string, LogFile> opened)
    {
        if (server.ModuleConfig.Get<LogConfigServerConfig>(descriptor) is not { } conf)
        {
            return;
        }

        foreach (LogTarget t in conf.Logs)
        {
            if (t.Format is not null)
            {
                continue;
            }

            // Formats were checked when read; a nickname that names no format is an inline format, as in Apache.
            t.Format = LogFormatParser.Parse(conf.ResolveFormat(t), out _) ?? LogFormatParser.Parse(LogFormatParser.DefaultFormat, out _);
            if (t.IsPipe)
            {
                runtime.ErrorLog.Write(LogLevel.Warn, "log_config", "PL00001: piped logs are not implemented yet: " + t.Path);
                continue;
            }

            if (!opened.TryGetValue(t.Path, out LogFile? file))
            {
                file = LogFile.Open(t.Path);
                opened[t.Path] = file;
            }

            t.File = file;
        }
    }

    private static void Transaction(RequestRecord r, ModuleDescriptor descriptor)
    {
        if (r.Server.Config.ModuleConfig.Get<LogConfigServerConfig>(descriptor) is not { Logs.Count: > 0 } conf)
        {
            return;
        }

        LogBuffer buffer = t_buffer ??= new LogBuffer();
        RequestLogSource source = t_source ??= new RequestLogSource();
        source.Reset(r);
        foreach (LogTarget t in conf.Logs)
        {
            if (t.File is null || t.Format is null)
            {
                continue;
            }

            if (t.EnvCondition is not null && r.Environment.ContainsKey(t.EnvCondition) == t.NegateEnv)
            {
                continue;
            }

            buffer.Clear();
            LogRenderer.Render(t.Format, source, buffer);
            buffer.Append((byte)'\n');
            _ = t.File.Write(buffer.Written);
        }
    }

    private static string? SetFormat(DirectiveCall call)
    {
        string format = call.Args[0];
        if (LogFormatParser.Parse(format, out string? error, call.IsModuleLoaded) is null)
        {
            return error;
        }

        LogConfigServerConfig conf = call.GetServerRecord<LogConfigServerConfig>();
        if (call.Args.Count == 2)
        {
            conf.Formats[call.Args[1]] = format;
        }
        else
        {
            conf.DefaultFormat = format;
        }

        return null;
    }

    private static string? AddLog(DirectiveCall call)
    {
        string path = call.Args[0];
        string? spec = call.Args.Count > 1 ? call.Args[1] : null;
        string? condition = call.Args.Count > 2 ? call.Args[2] : null;
        string? env = null;
        bool negate = false;
        if (condition is not null)
        {
            if (condition.StartsWith("env=", StringComparison.OrdinalIgnoreCase))
            {
                env = condition[4..];
                negate = env.StartsWith('!');
                env = negate ? env[1..] : env;
            }
            else if (condition.StartsWith("expr=", StringComparison.OrdinalIgnoreCase))
            {
                call.AddWarning("PL00001", "CustomLog expr= conditions are accepted but not implemented yet; the log is written unconditionally");
            }
            else
            {
                return "error in condition clause";
            }
        }

        if (spec is not null && spec.Contains('%', StringComparison.Ordinal) && LogFormatParser.Parse(spec, out string? error, call.IsModuleLoaded) is null)
        {
            return error;
        }

        call.GetServerRecord<LogConfigServerConfig>().Logs.Add(new LogTarget
        {
            Path = path.StartsWith('|') ? path : call.ResolvePath(path),
            FormatSpec = spec,
            EnvCondition = env,
            NegateEnv = negate,
        });
        return null;
    }
}
