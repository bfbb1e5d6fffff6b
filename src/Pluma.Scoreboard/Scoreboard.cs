using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pluma.Scoreboard;

/// <summary>
/// Apache's scoreboard in a memory-mapped file: one <see cref="GlobalScore"/>, ServerLimit
/// <see cref="ProcessScore"/>s, then ServerLimit x ThreadLimit <see cref="WorkerScore"/>s.
/// The parent creates it (and keeps it across graceful restarts); children open it and write
/// their own slots; readers (mod_status) take a <see cref="ScoreboardSnapshot"/>. There is no
/// lock, as in Apache: each slot has one writer, and readers tolerate a torn string.
/// </summary>
public sealed unsafe class Scoreboard : IDisposable
{
    /// <summary>"PLUMASB1" little endian: the file is complete and has our layout.</summary>
    public const long Magic = 0x3142_5341_4D55_4C50;

    /// <summary>Bumped when a struct changes, so an old reader refuses a new file (2: the load
    /// observations in <see cref="GlobalScore"/>).</summary>
    public const int LayoutVersion = 3;

    private const int GlobalSize = 192;
    private const int ProcessSize = 64;
    private const int WorkerSize = 256;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    private Scoreboard(MemoryMappedFile file, MemoryMappedViewAccessor view, int serverLimit, int threadLimit)
    {
        _file = file;
        _view = view;
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
        ServerLimit = serverLimit;
        ThreadLimit = threadLimit;
        Path = string.Empty;
    }

    /// <summary>The file behind the scoreboard.</summary>
    public string Path { get; private init; }

    /// <summary>Process slots (frozen for the life of the parent).</summary>
    public int ServerLimit { get; }

    /// <summary>Worker slots per process (1 for prefork).</summary>
    public int ThreadLimit { get; }

    /// <summary>The file size for the given limits.</summary>
    public static long SizeFor(int serverLimit, int threadLimit) =>
        GlobalSize + ((long)ProcessSize * serverLimit) + ((long)WorkerSize * serverLimit * threadLimit);

    /// <summary>
    /// Creates (or truncates) the scoreboard at <paramref name="path"/>: every slot dead, the
    /// restart time now, generation 0. Called by the parent at start and on a hard restart.
    /// </summary>
    public static Scoreboard Create(string path, int serverLimit, int threadLimit, string mpmName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serverLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadLimit, 1);
        long size = SizeFor(serverLimit, threadLimit);
        using (var fs = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            fs.SetLength(size);
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, size, MemoryMappedFileAccess.ReadWrite);
        var view = file.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
        // FileMode.Create truncated the file and SetLength extended it with zeros, so every slot
        // already reads as DEAD with no pid: no clearing pass, which would fault in and dirty
        // every page of a board sized for ServerLimit x ThreadLimit before the first child starts.
        var sb = new Scoreboard(file, view, serverLimit, threadLimit) { Path = path };
        ref GlobalScore g = ref sb.Global;
        g.LayoutVersion = LayoutVersion;
        g.ServerLimit = serverLimit;
        g.ThreadLimit = threadLimit;
        g.RestartTime = NowMicros();
        g.ConfigGeneration = 1;
        g.ParentPid = Environment.ProcessId;
        WriteAscii(g.MpmName, mpmName);
        System.Threading.Volatile.Write(ref g.Magic, Magic);
        return sb;
    }

    /// <summary>Opens a scoreboard the parent created (children, status readers).</summary>
    public static Scoreboard Open(string path)
    {
        long length = new FileInfo(path).Length;
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        GlobalScore g;
        view.Read(0, out g);
        if (g.Magic != Magic || g.LayoutVersion != LayoutVersion || SizeFor(g.ServerLimit, g.ThreadLimit) > length)
        {
            view.Dispose();
            file.Dispose();
            throw new InvalidDataException($"{path} is not a Pluma scoreboard of layout {LayoutVersion}");
        }

        return new Scoreboard(file, view, g.ServerLimit, g.ThreadLimit) { Path = path };
    }

    /// <summary>The global part.</summary>
    public ref GlobalScore Global => ref Unsafe.AsRef<GlobalScore>(_base);

    /// <summary>The process slot <paramref name="slot"/>.</summary>
    public ref ProcessScore Process(int slot)
    {
        if ((uint)slot >= (uint)ServerLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(slot));
        }

        return ref Unsafe.AsRef<ProcessScore>(_base + GlobalSize + ((long)ProcessSize * slot));
    }

    /// <summary>The worker slot of thread <paramref name="thread"/> in process slot <paramref name="slot"/>.</summary>
    public ref WorkerScore Worker(int slot, int thread)
    {
        if ((uint)slot >= (uint)ServerLimit || (uint)thread >= (uint)ThreadLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(slot));
        }

        long offset = GlobalSize + ((long)ProcessSize * ServerLimit) + (WorkerSize * (((long)slot * ThreadLimit) + thread));
        return ref Unsafe.AsRef<WorkerScore>(_base + offset);
    }

    /// <summary>The MPM name stored by the parent.</summary>
    public string MpmName => ReadAscii(Global.MpmName);

    /// <summary>A writer for one worker slot, used by that worker's thread only.</summary>
    public WorkerSlotWriter OpenWorker(int slot, int thread) => new(this, slot, thread);

    /// <summary>Reads every slot now (mod_status).</summary>
    public ScoreboardSnapshot Snapshot() => ScoreboardSnapshot.Take(this);

    /// <summary>Unix time in microseconds (Apache's apr_time_now()).</summary>
    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Writes ASCII text into a fixed field, truncated so a terminating zero remains.</summary>
    public static void WriteAscii(Span<byte> field, ReadOnlySpan<char> text)
    {
        int n = Math.Min(text.Length, field.Length - 1);
        ReadOnlySpan<char> kept = text[..n];
        // Printable ASCII, as a virtual host, a protocol or an address always is: narrowed in
        // vector steps (a worker writes two or three of these a request).
        if (!kept.ContainsAnyExceptInRange((char)0x20, (char)0x7e))
        {
            System.Text.Ascii.FromUtf16(kept, field, out _);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                char c = kept[i];
                field[i] = c < 0x20 || c > 0x7e ? (byte)'?' : (byte)c;
            }
        }

        field[n..].Clear();
    }

    /// <summary>Writes raw bytes (a request line) into a fixed field, truncated, zero terminated.</summary>
    public static void WriteBytes(Span<byte> field, ReadOnlySpan<byte> text)
    {
        int n = Math.Min(text.Length, field.Length - 1);
        text[..n].CopyTo(field);
        field[n..].Clear();
    }

    /// <summary>Reads a zero-terminated field as Latin-1 text.</summary>
    public static string ReadAscii(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
