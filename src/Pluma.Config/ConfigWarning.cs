namespace Pluma.Config;

/// <summary>
/// A start-up warning found while loading. <paramref name="Id"/> is httpd's AH number when the
/// text is httpd's (AH00111, AH01574), otherwise a Pluma id from docs/log-ids.md (PL00001).
/// </summary>
public sealed record ConfigWarning(string Id, string Message, string? File = null, int Line = 0)
{
    public override string ToString() => Id + ": " + Message;
}
