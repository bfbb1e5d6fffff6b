using System.IO;
using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.LogConfig;

/// <summary>
/// An access log (CustomLog, TransferLog): an <see cref="AppendOnlyFile"/>, so that every line
/// goes out in one write(2) on an O_APPEND descriptor and lines written by several processes
/// and threads neither interleave nor overwrite each other (the kernel serialises appends).
/// </summary>
public sealed class LogFile : IDisposable
{
    // Created 0644 (less the umask).
    private const int CreateMode = 0x1A4;

    private readonly AppendOnlyFile _file;

    private LogFile(string path, AppendOnlyFile file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    /// <summary>Opens (creating it if needed) <paramref name="path"/> for appending; throws IOException with Apache's AH00649 text.</summary>
    public static LogFile Open(string path)
    {
        try
        {
            return new LogFile(path, AppendOnlyFile.Open(path, CreateMode));
        }
        catch (IOException e)
        {
            // mod_log_config.c, open_config_log: "(13)Permission denied: AH00649: could not open transfer log file ..."
            throw new IOException(e.Message + ": AH00649: could not open transfer log file " + path + ".", e);
        }
    }

    /// <summary>Writes <paramref name="line"/> (newline included) with one write(2); false if it could not be written.</summary>
    public bool Write(ReadOnlySpan<byte> line) => _file.Write(line);

    public void Dispose() => _file.Dispose();
}
