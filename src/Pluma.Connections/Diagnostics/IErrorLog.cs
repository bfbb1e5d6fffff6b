namespace Pluma.Connections.Diagnostics;

/// <summary>
/// The server's error log (Apache's ap_log_error). Every layer writes through this seam; the
/// host decides where the lines go (ErrorLog file, stderr before the log is open).
/// Messages that are Apache's carry their AH number at the front ("AH00489: ..."); Pluma's
/// own messages carry a Pluma id ("PL00001: ...") from docs/log-ids.md.
/// </summary>
public interface IErrorLog
{
    /// <summary>Whether a message of <paramref name="level"/> from <paramref name="module"/> would be written.</summary>
    bool IsEnabled(LogLevel level, string module);

    /// <summary>
    /// Writes one line: <paramref name="module"/> is Apache's short module name
    /// (<c>mpm_event</c>, <c>core</c>, <c>authz_core</c>); <paramref name="client"/> is
    /// <c>ip:port</c> or null.
    /// </summary>
    void Write(LogLevel level, string module, string message, string? client = null);
}
