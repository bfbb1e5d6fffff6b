namespace Pluma.Http;

/// <summary>
/// The methods Apache registers (httpd.h M_*), HEAD apart because HTTP treats it apart.
/// <see cref="Unknown"/> is any other token (Apache's M_INVALID under LenientMethods).
/// </summary>
public enum HttpMethod : byte
{
    Unknown = 0,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
    PropFind,
    PropPatch,
    MkCol,
    Copy,
    Move,
    Lock,
    Unlock,
    VersionControl,
    Checkout,
    Uncheckout,
    Checkin,
    Update,
    Label,
    Report,
    MkWorkspace,
    MkActivity,
    BaselineControl,
    Merge,
}
