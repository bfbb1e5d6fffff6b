using System.Collections.Generic;

namespace Pluma.Modules.Core;

/// <summary>
/// core's per-server record (Apache's core_server_config plus the server_rec fields the core
/// directives set). Values are null when the directive was not given, so a virtual host
/// inherits the main server's on merge. Defaults are Apache's compiled ones (core.c, httpd.h).
/// </summary>
public sealed class CoreServerConfig
{
    public string? ServerName { get; set; }

    /// <summary>The port given with ServerName (ServerName host:port), else null.</summary>
    public int? ServerNamePort { get; set; }

    /// <summary>Whether a virtual host's ServerName is its own rather than the main server's (set by the merge).</summary>
    public bool OwnServerName { get; private set; }

    public List<string> ServerAliases { get; } = [];

    public string? ServerAdmin { get; set; }

    public string? DocumentRoot { get; set; }

    /// <summary>File and line of DocumentRoot, for -S's "Main DocumentRoot".</summary>
    public string? ErrorLog { get; set; }

    /// <summary>LogLevel: the default level, then "module:level" overrides.</summary>
    public string? LogLevel { get; set; }

    public Dictionary<string, string> ModuleLogLevels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Timeout (Apache's default 60 s; Debian's apache2.conf sets 300).</summary>
    public TimeSpan? Timeout { get; set; }

    public bool? KeepAlive { get; set; }

    public TimeSpan? KeepAliveTimeout { get; set; }

    public int? MaxKeepAliveRequests { get; set; }

    public int? LimitRequestLine { get; set; }

    public int? LimitRequestFieldSize { get; set; }

    public int? LimitRequestFields { get; set; }

    /// <summary>HostnameLookups: only Off is built; On/Double are accepted and logged as not implemented.</summary>
    public bool? HostnameLookups { get; set; }

    public string? UseCanonicalName { get; set; }

    public string? TraceEnable { get; set; }

    /// <summary>HttpProtocolOptions: Strict (default) or Unsafe.</summary>
    public bool? StrictProtocol { get; set; }

    public bool? RegisteredMethodsOnly { get; set; }

    public bool? AllowHttp09 { get; set; }

    public string? AllowEncodedSlashes { get; set; }

    /// <summary>StrictHostCheck (2.4.49+, default Off): a Host no virtual host of the address names is refused with 400.</summary>
    public bool? StrictHostCheck { get; set; }

    /// <summary>MergeSlashes (2.4.39+, default On): runs of '/' in the path count as one.</summary>
    public bool? MergeSlashes { get; set; }

    /// <summary>AccessFileName: the per-directory files looked for in each directory walked (null = Apache's default, .htaccess).</summary>
    public IReadOnlyList<string>? AccessFileNames { get; set; }

    /// <summary>Protocols (core.c; unset means Apache's default, http/1.1 only).</summary>
    public IReadOnlyList<string>? Protocols { get; set; }

    /// <summary>ProtocolsHonorOrder (core.c; default on: the server's order wins).</summary>
    public bool? ProtocolsHonorOrder { get; set; }

    /// <summary>Whether Protocols lists <paramref name="protocol"/> (default: http/1.1 only).</summary>
    public bool AllowsProtocol(string protocol)
    {
        if (Protocols is null)
        {
            return protocol == "http/1.1";
        }

        foreach (string p in Protocols)
        {
            if (p == protocol)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Per-server settings that only the main server may hold (Listen, PidFile, User ...).</summary>
    public MainServerSettings Main { get; set; } = new();

    /// <summary>Merges a virtual host's record over the main server's (vhost values win).</summary>
    public static CoreServerConfig Merge(CoreServerConfig main, CoreServerConfig vhost)
    {
        var m = new CoreServerConfig
        {
            ServerName = vhost.ServerName ?? main.ServerName,
            ServerNamePort = vhost.ServerName is not null ? vhost.ServerNamePort : main.ServerNamePort,
            OwnServerName = vhost.ServerName is not null,
            ServerAdmin = vhost.ServerAdmin ?? main.ServerAdmin,
            DocumentRoot = vhost.DocumentRoot ?? main.DocumentRoot,
            ErrorLog = vhost.ErrorLog ?? main.ErrorLog,
            LogLevel = vhost.LogLevel ?? main.LogLevel,
            Timeout = vhost.Timeout ?? main.Timeout,
            KeepAlive = vhost.KeepAlive ?? main.KeepAlive,
            KeepAliveTimeout = vhost.KeepAliveTimeout ?? main.KeepAliveTimeout,
            MaxKeepAliveRequests = vhost.MaxKeepAliveRequests ?? main.MaxKeepAliveRequests,
            LimitRequestLine = vhost.LimitRequestLine ?? main.LimitRequestLine,
            LimitRequestFieldSize = vhost.LimitRequestFieldSize ?? main.LimitRequestFieldSize,
            LimitRequestFields = vhost.LimitRequestFields ?? main.LimitRequestFields,
            HostnameLookups = vhost.HostnameLookups ?? main.HostnameLookups,
            UseCanonicalName = vhost.UseCanonicalName ?? main.UseCanonicalName,
            TraceEnable = vhost.TraceEnable ?? main.TraceEnable,
            StrictProtocol = vhost.StrictProtocol ?? main.StrictProtocol,
            RegisteredMethodsOnly = vhost.RegisteredMethodsOnly ?? main.RegisteredMethodsOnly,
            AllowHttp09 = vhost.AllowHttp09 ?? main.AllowHttp09,
            AllowEncodedSlashes = vhost.AllowEncodedSlashes ?? main.AllowEncodedSlashes,
            MergeSlashes = vhost.MergeSlashes ?? main.MergeSlashes,
            StrictHostCheck = vhost.StrictHostCheck ?? main.StrictHostCheck,
            AccessFileNames = vhost.AccessFileNames ?? main.AccessFileNames,
            Protocols = vhost.Protocols ?? main.Protocols,
            ProtocolsHonorOrder = vhost.ProtocolsHonorOrder ?? main.ProtocolsHonorOrder,
            Main = main.Main,
        };
        m.ServerAliases.AddRange(vhost.ServerAliases);
        foreach (var (k, v) in main.ModuleLogLevels)
        {
            m.ModuleLogLevels[k] = v;
        }

        foreach (var (k, v) in vhost.ModuleLogLevels)
        {
            m.ModuleLogLevels[k] = v;
        }

        return m;
    }
}
