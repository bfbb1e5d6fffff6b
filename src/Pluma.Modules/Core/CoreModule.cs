using System.Globalization;
using Pluma.Config;
using Pluma.Http.Protocol;
using static Pluma.Config.DirectiveBinders;

namespace Pluma.Modules.Core;

/// <summary>
/// core (core.c, http_core.c, mod_so.c, mod_unixd.c ...): the directives every server has and the
/// default handler that serves files. Apache splits these over several static modules; Pluma
/// declares them here and lists the static module names for <c>-M</c> and <c>-l</c> separately
/// (<see cref="StaticModules"/>)..
/// </summary>
public static partial class CoreModule
{
    private const DirectiveScope Rsrc = DirectiveScope.RsrcConf;
    private const DirectiveScope RsrcAccess = DirectiveScope.RsrcConf | DirectiveScope.AccessConf;
    private const DirectiveScope All = DirectiveScope.Anywhere;

    /// <summary>The descriptor, shared by every configuration load.</summary>
    public static readonly ModuleDescriptor Descriptor = new("core_module", "core.c",
    [
        // Names and addresses of the server (http_core.c, core.c).
        new("ServerName", DirectiveArgs.Take1, Rsrc, "The hostname and port of the server", SetServerName),
        new("ServerAlias", DirectiveArgs.RawArgs, Rsrc, "A name or names alternatively used to access the server", SetServerAlias)
            { Restrictions = ContextRestrictions.None },
        new("ServerAdmin", DirectiveArgs.Take1, Rsrc, "The email address of the server administrator", String<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.ServerAdmin = v)),
        new("DocumentRoot", DirectiveArgs.Take1, Rsrc, "Root directory of the document tree", Path<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.DocumentRoot = v.TrimEnd('/').Length == 0 ? "/" : v.TrimEnd('/'))),
        new("ErrorLog", DirectiveArgs.Take1, Rsrc, "The filename of the error log", String<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.ErrorLog = v)),
        new("LogLevel", DirectiveArgs.RawArgs, RsrcAccess, "Level of verbosity in error logging", SetLogLevel),
        new("UseCanonicalName", DirectiveArgs.Take1, RsrcAccess, "How to work out the ServerName : Port when constructing URLs", String<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.UseCanonicalName = v)),
        new("HostnameLookups", DirectiveArgs.Take1, RsrcAccess, "\"on\" to enable, \"off\" to disable reverse DNS lookups, or \"double\" to enable double-reverse DNS lookups", SetHostnameLookups),

        // Connection and protocol limits (http_core.c, core.c).
        new("Timeout", DirectiveArgs.Take1, Rsrc, "Timeout duration (sec)", Seconds<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.Timeout = v)),
        new("KeepAlive", DirectiveArgs.Flag, Rsrc, "Whether persistent connections should be On or Off", Flag<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.KeepAlive = v)),
        new("KeepAliveTimeout", DirectiveArgs.Take1, Rsrc, "Keep-Alive timeout duration (sec)", Seconds<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.KeepAliveTimeout = v)),
        new("MaxKeepAliveRequests", DirectiveArgs.Take1, Rsrc, "Maximum number of Keep-Alive requests per connection, or 0 for infinite", Atoi<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.MaxKeepAliveRequests = v)),
        new("LimitRequestLine", DirectiveArgs.Take1, Rsrc, "Limit on maximum size of an HTTP request line", Atoi<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.LimitRequestLine = v)),
        new("LimitRequestFieldsize", DirectiveArgs.Take1, Rsrc, "Limit on maximum size of an HTTP request header field", Atoi<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.LimitRequestFieldSize = v)),
        new("LimitRequestFields", DirectiveArgs.Take1, Rsrc, "Limit (0 = unlimited) on max number of header fields in a request message", Atoi<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.LimitRequestFields = v)),
        new("LimitRequestBody", DirectiveArgs.Take1, All, "Limit (in bytes) on maximum size of request message body", SetLimitRequestBody),
        new("TraceEnable", DirectiveArgs.Take1, Rsrc, "'on' (default), 'off' or 'extended' to trace request body content", String<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.TraceEnable = v)),
        new("HttpProtocolOptions", DirectiveArgs.Iterate, Rsrc, "'Allow0.9' or 'Require1.0' (default); 'RegisteredMethods' or 'LenientMethods' (default); 'Unsafe' or 'Strict' (default). Sets HTTP acceptance rules", SetHttpProtocolOptions),
        new("MergeSlashes", DirectiveArgs.Flag, Rsrc, "Controls whether consecutive slashes in the URI path are merged", Flag<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.MergeSlashes = v)),
        new("AllowEncodedSlashes", DirectiveArgs.Take12, RsrcAccess, "Allow URLs containing '/' encoded as '%2F'", String<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.AllowEncodedSlashes = v)),
        new("AccessFileName", DirectiveArgs.TakeArgv, Rsrc, "Name(s) of per-directory config files (default: .htaccess)", SetAccessFileName),
        new("ServerTokens", DirectiveArgs.Take1, Rsrc, "Tokens displayed in the Server: header - Min[imal], Major, Minor, Prod[uctOnly], OS, or Full", SetServerTokens) { Restrictions = ContextRestrictions.GlobalOnly },
        new("ServerSignature", DirectiveArgs.Take1, All, "En-/disable server signature (on|off|email)", SetServerSignature),

        // Per-directory behaviour (core.c).
        new("Options", DirectiveArgs.RawArgs, DirectiveScope.OrOptions | DirectiveScope.AccessConf | DirectiveScope.RsrcConf, "Set a number of attributes for a given directory", SetOptions),
        new("AllowOverride", DirectiveArgs.RawArgs, DirectiveScope.AccessConf, "Controls what groups of directives can be configured by per-directory config files", SetAllowOverride),
        new("AllowOverrideList", DirectiveArgs.TakeArgv, DirectiveScope.AccessConf, "Controls what individual directives can be configured by per-directory config files", SetAllowOverrideList),
        new("ErrorDocument", DirectiveArgs.Take2, DirectiveScope.OrFileInfo | RsrcAccess, "Change responses for HTTP errors", SetErrorDocument),
        new("AddDefaultCharset", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "The name of the default charset to add to any Content-Type without one or 'Off' to disable", SetAddDefaultCharset),
        new("FileETag", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo | RsrcAccess, "Specify components used to construct a file's ETag", SetFileETag),
        new("EnableSendfile", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "Controls whether sendfile may be used to transmit files", Dir((d, call) => d.EnableSendfile = call.Args[0].Equals("on", StringComparison.OrdinalIgnoreCase))),
        new("EnableMMAP", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "Controls whether memory-mapping may be used to read files", (_) => null),
        new("SetHandler", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "A resource name for the handler to use for all files", Dir((d, call) => d.SetHandler = SetHandlerName(call.Args[0]))),
        new("ForceType", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "a mime type that overrides other configured type", Dir((d, call) => d.ForceType = call.Args[0].Equals("none", StringComparison.OrdinalIgnoreCase) ? "" : call.Args[0])),
        new("AcceptPathInfo", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "Set to on or off for PATH_INFO to be accepted by handlers, or default for the per-handler preference", SetAcceptPathInfo),
        DirectiveDefinition.Pending("ContentDigest", DirectiveArgs.Flag, DirectiveScope.OrOptions | RsrcAccess, "whether or not to send a Content-MD5 header with each request"),
        DirectiveDefinition.Pending("DefaultType", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "the default media type for otherwise untyped files (DEPRECATED)"),
        DirectiveDefinition.Pending("SetOutputFilter", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "filter (or ; delimited list of filters) to be run on the request content"),
        DirectiveDefinition.Pending("SetInputFilter", DirectiveArgs.Take1, DirectiveScope.OrFileInfo | RsrcAccess, "filter (or ; delimited list of filters) to be run on the request body"),
        new("Protocols", DirectiveArgs.TakeArgv, Rsrc, "Controls which protocols are allowed", SetProtocols),
        new("ProtocolsHonorOrder", DirectiveArgs.Flag, Rsrc, "'off' (default) or 'on' to respect given order of protocols, by default the client specified order determines selection", Flag<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.ProtocolsHonorOrder = v)),
        DirectiveDefinition.Pending("ServerPath", DirectiveArgs.Take1, Rsrc, "The pathname the server can be reached at"),
        DirectiveDefinition.Pending("SeeRequestTail", DirectiveArgs.Flag, Rsrc, "For extended status, show tail of request instead of head"),
        DirectiveDefinition.Pending("MergeTrailers", DirectiveArgs.Flag, Rsrc, "merge request trailers into request headers or not"),
        DirectiveDefinition.Pending("RegisterHttpMethod", DirectiveArgs.Iterate, Rsrc, "Registers non-standard HTTP methods"),
        DirectiveDefinition.Pending("UseCanonicalPhysicalPort", DirectiveArgs.Flag, RsrcAccess, "Whether to use the physical Port when constructing URLs"),
        DirectiveDefinition.Pending("QualifyRedirectURL", DirectiveArgs.Flag, DirectiveScope.OrFileInfo | RsrcAccess, "Controls whether the REDIRECT_URL environment variable is fully qualified"),
        DirectiveDefinition.Pending("RLimitCPU", DirectiveArgs.Take12, All, "Soft/hard limits for max CPU usage in seconds"),
        DirectiveDefinition.Pending("RLimitMEM", DirectiveArgs.Take12, All, "Soft/hard limits for max memory usage per process"),
        DirectiveDefinition.Pending("RLimitNPROC", DirectiveArgs.Take12, All, "soft/hard limits for max number of processes per uid"),
        DirectiveDefinition.Pending("LimitXMLRequestBody", DirectiveArgs.Take1, All, "Limit (in bytes) on maximum size of an XML-based request body"),
        DirectiveDefinition.Pending("LimitInternalRecursion", DirectiveArgs.Take12, Rsrc, "maximum recursion depth of internal redirects and subrequests"),
        DirectiveDefinition.Pending("CGIPassAuth", DirectiveArgs.Flag, DirectiveScope.OrAuthCfg | RsrcAccess, "Controls whether HTTP authorization headers, normally hidden, will be passed to scripts"),
        DirectiveDefinition.Pending("CGIVar", DirectiveArgs.Take2, DirectiveScope.OrFileInfo | RsrcAccess, "Controls how some CGI variables are set"),
        DirectiveDefinition.Pending("EnableExceptionHook", DirectiveArgs.Flag, Rsrc, "Controls whether exception hook may be called after a crash"),
        new("MaxRangeOverlaps", DirectiveArgs.Take1, All, "Maximum number of overlaps in Ranges in a request before returning the entire resource, or 0 for unlimited", c => SetMaxRangeLimit(c, (d, v) => d.MaxRangeOverlaps = v, RangeLimits.Default.MaxOverlaps)),
        new("MaxRangeReversals", DirectiveArgs.Take1, All, "Maximum number of reversals in Ranges in a request before returning the entire resource, or 0 for unlimited", c => SetMaxRangeLimit(c, (d, v) => d.MaxRangeReversals = v, RangeLimits.Default.MaxReversals)),
        new("MaxRanges", DirectiveArgs.Take1, All, "Maximum number of Ranges in a request before returning the entire resource, or 0 for unlimited", c => SetMaxRangeLimit(c, (d, v) => d.MaxRanges = v, RangeLimits.Default.MaxRanges)),
        DirectiveDefinition.Pending("ErrorLogFormat", DirectiveArgs.Take12, Rsrc, "Format string for the ErrorLog"),
        new("StrictHostCheck", DirectiveArgs.Flag, Rsrc, "Controls whether a hostname match is required", Flag<CoreServerConfig>(DirectiveTarget.Server, (c, v) => c.StrictHostCheck = v)),
        DirectiveDefinition.Pending("Error", DirectiveArgs.Take1, All, "Generate error message from within configuration"),

        // Process-wide settings: listen.c, log.c, mpm_common.c, mod_unixd.c (GLOBAL_ONLY).
        new("Listen", DirectiveArgs.Take12, Rsrc, "A port number or a numeric IP address and a port number, and an optional protocol", SetListen) { Restrictions = ContextRestrictions.GlobalOnly },
        new("ListenBacklog", DirectiveArgs.Take1, Rsrc, "Maximum length of the queue of pending connections, as used by listen(2)", SetListenBacklog) { Restrictions = ContextRestrictions.GlobalOnly },
        new("AcceptFilter", DirectiveArgs.Take2, Rsrc, "Set the Accept Filter to use for a protocol", SetAcceptFilter) { Restrictions = ContextRestrictions.GlobalOnly },
        new("ListenCoresBucketsRatio", DirectiveArgs.Take1, Rsrc, "Ratio between the number of CPU cores (online) and the number of listeners buckets", SetListenCoresBucketsRatio) { Restrictions = ContextRestrictions.GlobalOnly },
        DirectiveDefinition.Pending("ReceiveBufferSize", DirectiveArgs.Take1, Rsrc, "Receive buffer size in bytes"),
        DirectiveDefinition.Pending("SendBufferSize", DirectiveArgs.Take1, Rsrc, "Send buffer size in bytes"),
        new("PidFile", DirectiveArgs.Take1, Rsrc, "A file for logging the server process ID", SetPidFile) { Restrictions = ContextRestrictions.GlobalOnly },
        new("DefaultRuntimeDir", DirectiveArgs.Take1, Rsrc, "The location of the directory Apache changes to before dumping core", SetDefaultRuntimeDir) { Restrictions = ContextRestrictions.GlobalOnly },
        new("ScoreBoardFile", DirectiveArgs.Take1, Rsrc, "A file for Apache to maintain runtime process management information", Main((m, call) => m.ScoreBoardFile = call.ResolvePath(call.Args[0]))) { Restrictions = ContextRestrictions.GlobalOnly },
        new("Mutex", DirectiveArgs.RawArgs, Rsrc, "mutex (or \"default\") and mechanism", Main((m, call) => m.Mutexes.Add(call.RawArgs.Trim()))) { Restrictions = ContextRestrictions.GlobalOnly },
        new("User", DirectiveArgs.Take1, Rsrc, "Effective user id for this server", SetUser) { Restrictions = ContextRestrictions.GlobalOnly },
        new("Group", DirectiveArgs.Take1, Rsrc, "Name or number of group to run httpd as", SetGroup) { Restrictions = ContextRestrictions.GlobalOnly },
        DirectiveDefinition.Pending("ChrootDir", DirectiveArgs.Take1, Rsrc, "The directory to chroot(2) into"),
        DirectiveDefinition.Pending("Suexec", DirectiveArgs.Flag, Rsrc, "Enable or disable suEXEC support"),
        DirectiveDefinition.Pending("CoreDumpDirectory", DirectiveArgs.Take1, Rsrc, "The location of the directory Apache changes to before dumping core"),
    ])
    {
        CreateServerConfig = () => new CoreServerConfig(),
        MergeServerConfig = (main, vhost) => CoreServerConfig.Merge((CoreServerConfig)main, (CoreServerConfig)vhost),
        CreateDirConfig = _ => new CoreDirConfig(),
        MergeDirConfig = (parent, child) => CoreDirConfig.Merge((CoreDirConfig)parent, (CoreDirConfig)child),
        IsStatic = true,
    };
}
