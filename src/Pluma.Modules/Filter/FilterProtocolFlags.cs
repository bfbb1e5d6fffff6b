namespace Pluma.Modules.Filter;

/// <summary>
/// FilterProtocol's flags (util_filter.h AP_FILTER_PROTO_*): what mod_filter does to the
/// response's fields for a filter, so the filter itself need not.
/// </summary>
[Flags]
public enum FilterProtocolFlags
{
    None = 0,

    /// <summary>change=yes or change=1:1: the body changes, so Content-MD5 and ETag go.</summary>
    Change = 1,

    /// <summary>change=yes: its length changes too, so Content-Length goes.</summary>
    ChangeLength = 2,

    /// <summary>byteranges=no: the filter needs the whole body; Accept-Ranges: none.</summary>
    NoByteRange = 4,

    /// <summary>proxy=no: never on a proxied response.</summary>
    NoProxy = 8,

    /// <summary>proxy=transform: not when the proxied response says Cache-Control: no-transform; a 214 Warning when applied.</summary>
    Transform = 16,

    /// <summary>cache=no: a different result each time, so no Last-Modified and Cache-Control: no-cache.</summary>
    NoCache = 32,
}
