using System.Globalization;
using Pluma.Config;
using Pluma.Http.Http2;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Http2;

/// <summary>
/// mod_http2: its directives that Debian's http2.conf and admins use, read into
/// <see cref="Http2ServerConfig"/>; the host turns them into the HTTP engine's
/// <see cref="Http2Options"/>. HTTP/2 is active when the module is loaded, Protocols lists h2
/// or h2c, and the MPM is not prefork (Apache 2.4 turns it off there with AH10034). Directives
/// Pluma does not build (server push among them) are refused with file and line.
/// </summary>
public static class Http2Module
{
    public const string Name = "http2_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_http2.c", () =>
        [
            new DirectiveDefinition("H2Direct", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "whether to enable direct HTTP/2 mode", SetDirect),
            new DirectiveDefinition("H2MaxSessionStreams", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "maximum number of open streams per session", c => Number(c, 1, v => Server(c).MaxSessionStreams = v)),
            new DirectiveDefinition("H2StreamMaxMemSize", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "maximum number of bytes buffered in memory for a stream", c => Number(c, 1, v => Server(c).StreamMaxMemSize = v)),
            new DirectiveDefinition("H2WindowSize", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "window size on client DATA", c => Number(c, 1024, v => Server(c).WindowSize = v)),
            new DirectiveDefinition("H2MinWorkers", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "minimum number of worker threads per child", c => Number(c, 1, v => Server(c).MinWorkers = v)),
            new DirectiveDefinition("H2MaxWorkers", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "maximum number of worker threads per child", c => Number(c, 1, v => Server(c).MaxWorkers = v)),
            new DirectiveDefinition("H2Push", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.OrFileInfo | DirectiveScope.AccessConf, "off to disable HTTP/2 server push", SetPush),
        ])
        {
            CreateServerConfig = () => new Http2ServerConfig(),
            MergeServerConfig = (b, a) => Http2ServerConfig.Merge((Http2ServerConfig)b, (Http2ServerConfig)a),
        };
        return new HttpModule(descriptor)
        {
            PostReadRequest = Http2Upgrade.PostReadRequest,
        };
    }

    /// <summary>
    /// The engine's HTTP/2 options for <paramref name="server"/>, or null when HTTP/2 is off there
    /// (module not loaded, prefork, or Protocols lists neither h2 nor h2c).
    /// </summary>
    public static Http2Options? OptionsFor(ServerRuntime runtime, VirtualServer server)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(server);
        if (!IsActive(runtime) || !(server.Core.AllowsProtocol("h2") || server.Core.AllowsProtocol("h2c")))
        {
            return null;
        }

        Http2ServerConfig c = ConfigOf(runtime, server);
        var defaults = new Http2Options();
        return defaults with
        {
            MaxConcurrentStreams = c.MaxSessionStreams ?? defaults.MaxConcurrentStreams,
            InitialWindowSize = c.WindowSize ?? defaults.InitialWindowSize,
            StreamMaxMemSize = c.StreamMaxMemSize ?? defaults.StreamMaxMemSize,
            MaxWorkers = c.MaxWorkers,
        };
    }

    /// <summary>H2Direct for a cleartext server: on unless set off, and only where Protocols lists h2c.</summary>
    public static bool DirectFor(ServerRuntime runtime, VirtualServer server)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(server);
        return IsActive(runtime) && server.Core.AllowsProtocol("h2c") && (ConfigOf(runtime, server).Direct ?? true);
    }

    /// <summary>Whether TLS may offer "h2" by ALPN on <paramref name="server"/>.</summary>
    public static bool OffersH2(ServerRuntime runtime, VirtualServer server)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(server);
        return IsActive(runtime) && server.Core.AllowsProtocol("h2");
    }

    /// <summary>mod_http2 is loaded and the MPM can run it (not prefork: AH10034).</summary>
    public static bool IsActive(ServerRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return runtime.Find(Name) is not null && !IsPrefork(runtime.Info.MpmName);
    }

    /// <summary>
    /// Apache's advisory when mod_http2 is loaded under prefork (h2_h2.c / mod_http2.c,
    /// AH10034), or null.
    /// </summary>
    public static string? PreforkAdvisory(bool loaded, string mpmName) =>
        loaded && IsPrefork(mpmName)
            ? "AH10034: The mpm module (prefork.c) is not supported by mod_http2. The mpm determines how things are processed in your server. HTTP/2 has more demands in this regard and the currently selected mpm will just not do. This is an advisory warning. Your server will continue to work, but the HTTP/2 protocol will be inactive."
            : null;

    private static bool IsPrefork(string mpmName) => mpmName.Contains("prefork", StringComparison.OrdinalIgnoreCase);

    private static Http2ServerConfig ConfigOf(ServerRuntime runtime, VirtualServer server) =>
        server.Config.ModuleConfig.Get<Http2ServerConfig>(runtime.Find(Name)!.Descriptor) ?? new Http2ServerConfig();

    private static Http2ServerConfig Server(DirectiveCall call) => call.GetServerRecord<Http2ServerConfig>();

    private static string? SetDirect(DirectiveCall call)
    {
        Server(call).Direct = IsOn(call);
        return null;
    }

    private static bool IsOn(DirectiveCall call) => call.Args[0].Equals("on", StringComparison.OrdinalIgnoreCase);

    private static string? Number(DirectiveCall call, int min, Action<int> set)
    {
        if (!int.TryParse(call.Args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            return call.Directive.Name + " must be a number of at least " + min.ToString(CultureInfo.InvariantCulture);
        }

        set(value);
        return null;
    }

    // Server push is not built: only "off" is accepted (fail closed).
    private static string? SetPush(DirectiveCall call) =>
        IsOn(call) ? "PL00504: H2Push on: HTTP/2 server push is not built in Pluma, so it is refused rather than ignored" : null;
}
