namespace Pluma.Connections.Diagnostics;

/// <summary>Apache's LogLevel names, most severe first (http_log.h APLOG_*).</summary>
public enum LogLevel
{
    Emerg = 0,
    Alert = 1,
    Crit = 2,
    Error = 3,
    Warn = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
    Trace1 = 8,
    Trace2 = 9,
    Trace3 = 10,
    Trace4 = 11,
    Trace5 = 12,
    Trace6 = 13,
    Trace7 = 14,
    Trace8 = 15,
}
