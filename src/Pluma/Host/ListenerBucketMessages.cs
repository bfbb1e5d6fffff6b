using System.IO;
using Pluma.Connections.Diagnostics;
using Pluma.Transport;

namespace Pluma.Host;

/// <summary>
/// What ap_duplicate_listeners says on the terminal while the server starts (never for -t): with
/// ListenCoresBucketsRatio set, AH02819 at info (shown with <c>-e info</c> or <c>-e debug</c>),
/// or AH02820 as a warning when SO_REUSEPORT is missing. Both as full error-log lines, as
/// apache2 prints messages logged before its error log is open.
/// </summary>
internal static class ListenerBucketMessages
{
    public static void Write(TextWriter err, int ratio, string? startupLevel)
    {
        if (ratio <= 0)
        {
            return;
        }

        LogLevel shown = startupLevel is not null && ErrorLogFormat.TryParseLevel(startupLevel, out LogLevel l) ? l : LogLevel.Warn;
        (LogLevel level, string text) = ListenerBuckets.ReusePortSupported
            ? (LogLevel.Info, ListenerBuckets.UsingBucketsMessage(ListenerBuckets.Count(ratio), ListenerBuckets.OnlineCores(), ratio))
            : (LogLevel.Warn, ListenerBuckets.IgnoredMessage);
        if (level <= shown)
        {
            err.Write(ErrorLogFormat.FormatLine(DateTimeOffset.Now, level, "core", Environment.ProcessId, Environment.ProcessId, text, null));
        }
    }
}
