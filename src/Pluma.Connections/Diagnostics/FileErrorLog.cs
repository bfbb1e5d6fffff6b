using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Pluma.Connections.Diagnostics;

/// <summary>
/// An error log written to a file (or stderr) one whole line per write(2) on an O_APPEND
/// descriptor (<see cref="AppendOnlyFile"/>), so that lines from every process of the server
/// interleave but are never lost or torn.
/// </summary>
public sealed class FileErrorLog : IErrorLog, IDisposable
{
    // Apache's error log is created with APR_OS_DEFAULT, 0666 less the umask (log.c, open_error_log).
    private const int CreateMode = 0x1B6;

    private readonly AppendOnlyFile _file;
    private readonly Func<string, LogLevel> _levelFor;

    /// <param name="file">Where the lines go.</param>
    /// <param name="levelFor">The LogLevel in force for a module (per-module LogLevel).</param>
    private FileErrorLog(AppendOnlyFile file, Func<string, LogLevel> levelFor)
    {
        _file = file;
        _levelFor = levelFor;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it if needed; an IOException
    /// carries Apache's AH00091 text.
    /// </summary>
    public static FileErrorLog Open(string path, Func<string, LogLevel> levelFor)
    {
        try
        {
            return new FileErrorLog(AppendOnlyFile.Open(path, CreateMode), levelFor);
        }
        catch (IOException e)
        {
            throw new IOException(e.Message + ": AH00091: pluma: could not open error log file " + path + ".", e);
        }
    }

    /// <summary>A log on the process's stderr (before ErrorLog is open, and for -X).</summary>
    public static FileErrorLog StandardError(Func<string, LogLevel> levelFor) => new(AppendOnlyFile.StandardError(), levelFor);

    /// <inheritdoc/>
    /// <remarks>Notices are always written, whatever LogLevel says, as Apache's log.c does.</remarks>
    public bool IsEnabled(LogLevel level, string module) => level == LogLevel.Notice || level <= _levelFor(module);

    /// <inheritdoc/>
    public void Write(LogLevel level, string module, string message, string? client = null)
    {
        if (!IsEnabled(level, module))
        {
            return;
        }

        string line = ErrorLogFormat.FormatLine(DateTimeOffset.Now, level, module, Environment.ProcessId, CurrentThreadId(), message, client);
        // One write(2) for the whole line; a full disk or a closed stderr must not take the server down.
        _ = _file.Write(Encoding.UTF8.GetBytes(line));
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private static long CurrentThreadId() => gettid();

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int gettid();
}
