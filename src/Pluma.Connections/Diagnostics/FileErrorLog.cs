using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Pluma.Connections.Diagnostics;

/// <summary>
/// An error log written to a file (or stderr) one whole line per write(2), so that lines
/// from every process of the server interleave but never tear (the file is opened O_APPEND).
/// </summary>
public sealed class FileErrorLog : IErrorLog, IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly object _gate = new();
    private readonly Func<string, LogLevel> _levelFor;

    /// <param name="stream">An unbuffered append stream, or stderr.</param>
    /// <param name="levelFor">The LogLevel in force for a module (per-module LogLevel).</param>
    public FileErrorLog(Stream stream, Func<string, LogLevel> levelFor, bool ownsStream = true)
    {
        _stream = stream;
        _levelFor = levelFor;
        _ownsStream = ownsStream;
    }

    /// <summary>Opens <paramref name="path"/> for appending, creating it if needed.</summary>
    public static FileErrorLog Open(string path, Func<string, LogLevel> levelFor)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        return new FileErrorLog(stream, levelFor);
    }

    /// <summary>A log on the process's stderr (before ErrorLog is open, and for -X).</summary>
    public static FileErrorLog StandardError(Func<string, LogLevel> levelFor) =>
        new(Console.OpenStandardError(), levelFor, ownsStream: false);

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
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            try
            {
                _stream.Write(bytes, 0, bytes.Length);
                _stream.Flush();
            }
            catch (IOException)
            {
                // A full disk or a closed stderr must not take the server down.
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private static long CurrentThreadId() => gettid();

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int gettid();
}
