namespace Pluma.Modules.LogConfig;

/// <summary>One % directive of a LogFormat (mod_log_config's log_item handlers, plus mod_logio's %I %O %S).</summary>
public enum LogItemKind
{
    Literal,
    RemoteHost,
    RemoteAddress,
    LocalAddress,
    RemoteLogname,
    RemoteUser,
    RequestTime,
    RequestLine,
    Status,
    BytesClf,
    Bytes,
    BytesOut,
    BytesIn,
    BytesCombined,
    DurationMicros,
    DurationUnit,
    RequestHeader,
    ResponseHeader,
    Environment,
    Note,
    ServerName,
    RequestServerName,
    ServerPort,
    ProcessId,
    UriPath,
    QueryString,
    Protocol,
    Method,
    Filename,
    ConnectionStatus,
    KeepAlives,
    LogId,
    Handler,
    Cookie,

    /// <summary>A letter another module registered (<see cref="ModuleLogItems"/>), e.g. mod_ssl's %x and %c.</summary>
    ModuleItem,
}
