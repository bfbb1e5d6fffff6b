namespace Pluma.Http;

/// <summary>
/// Everything the HTTP engine needs to know from the configuration, as plain values (the
/// configuration layer fills it; Http never reads a config file). Defaults are Apache 2.4's
/// compiled defaults, or Debian's where Debian's shipped configuration changes them.
/// </summary>
public sealed record HttpServerOptions
{
    /// <summary>LimitRequestLine (core, default 8190).</summary>
    public int LimitRequestLine { get; init; } = 8190;

    /// <summary>LimitRequestFieldSize (core, default 8190).</summary>
    public int LimitRequestFieldSize { get; init; } = 8190;

    /// <summary>LimitRequestFields (core, default 100).</summary>
    public int LimitRequestFields { get; init; } = 100;

    /// <summary>Timeout (core, default 300 s): any single read or write.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>KeepAlive (core, default On).</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>KeepAliveTimeout (core, default 5 s).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>MaxKeepAliveRequests (core, default 100; 0 = unlimited).</summary>
    public int MaxKeepAliveRequests { get; init; } = 100;

    /// <summary>RequestReadTimeout header=20-40,MinRate=500 (Debian's mods-available/reqtimeout.conf).</summary>
    public RequestReadTimeout HeaderReadTimeout { get; init; } = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), 500);

    /// <summary>RequestReadTimeout body=10,MinRate=500 (Debian's mods-available/reqtimeout.conf).</summary>
    public RequestReadTimeout BodyReadTimeout { get; init; } = new(TimeSpan.FromSeconds(10), TimeSpan.Zero, 500);

    /// <summary>HttpProtocolOptions Strict (default) or Unsafe.</summary>
    public bool StrictProtocol { get; init; } = true;

    /// <summary>HttpProtocolOptions RegisteredMethods (true) or LenientMethods (default, false).</summary>
    public bool RegisteredMethodsOnly { get; init; }

    /// <summary>HttpProtocolOptions Allow0.9 (default) or Require1.0.</summary>
    public bool AllowHttp09 { get; init; } = true;

    /// <summary>
    /// Whether the engine answers a method it does not know with 501 before the application
    /// runs. Apache's LenientMethods lets such a request reach the handlers, where the default
    /// handler answers 501; set this to false once the application does that itself.
    /// </summary>
    public bool RejectUnknownMethods { get; init; } = true;

    /// <summary>The Allow header sent with the engine's 501 (Apache's default handler's list).</summary>
    public string UnknownMethodAllow { get; init; } = "GET,POST,OPTIONS,HEAD";

    /// <summary>TraceEnable: Apache's default is On; Debian's conf-available/security.conf sets Off.</summary>
    public bool TraceEnable { get; init; }

    /// <summary>The Server header text (ServerTokens is applied above: this is the final string).</summary>
    public string ServerBanner { get; init; } = "Apache/2.4.71 (Debian)";

    /// <summary>Signature and names for error pages the engine sends before the application runs.</summary>
    public ServerIdentity Identity { get; init; } = new();

    /// <summary>
    /// HTTP/2 (mod_http2) on this server's connections, or null when Protocols does not list
    /// h2 or h2c (or the MPM is prefork, where Apache turns it off with AH10034).
    /// </summary>
    public Pluma.Http.Http2.Http2Options? Http2 { get; init; }

    /// <summary>H2Direct: h2c by prior knowledge (the preface instead of a request line).</summary>
    public bool Http2Direct { get; init; }

    /// <summary>
    /// H2Direct of the server a connection's local address selects (mod_http2 asks the
    /// connection's base server, the IP-based virtual host): given the local end point, whether
    /// the preface may replace a request line there. Null: <see cref="Http2Direct"/> everywhere.
    /// </summary>
    public Func<System.Net.IPEndPoint, bool>? Http2DirectAt { get; init; }
}
