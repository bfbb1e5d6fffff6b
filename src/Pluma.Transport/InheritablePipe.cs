using System.Globalization;
using Pluma.Transport.Native;

namespace Pluma.Transport;

/// <summary>
/// A pipe whose read end children inherit and whose write end stays in the parent (Apache's
/// pipe of death). The read end is non-blocking: every child polls it and only one wins each
/// byte. When the parent closes the write end every reader sees end of stream.
/// </summary>
public sealed unsafe class InheritablePipe : IDisposable
{
    private int _readFd;
    private int _writeFd;

    private InheritablePipe(int readFd, int writeFd)
    {
        _readFd = readFd;
        _writeFd = writeFd;
    }

    public int ReadFd => _readFd;

    /// <summary>Creates the pipe in the parent.</summary>
    public static InheritablePipe Create()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw new InvalidOperationException($"pipe2 failed: errno {Libc.Errno}");
        }

        Libc.SetNonBlocking(fds[0], true);
        Libc.SetInheritable(fds[0], true);
        return new InheritablePipe(fds[0], fds[1]);
    }

    /// <summary>In a child: the inherited read end named in an environment value.</summary>
    public static InheritablePipe AdoptReadEnd(string value)
    {
        int fd = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        Libc.SetInheritable(fd, false);
        return new InheritablePipe(fd, -1);
    }

    /// <summary>An in-process pipe (for -X: the signal handlers write, the loop reads).</summary>
    public static InheritablePipe CreatePrivate()
    {
        InheritablePipe p = Create();
        Libc.SetInheritable(p._readFd, false);
        return p;
    }

    /// <summary>Writes one command byte; false if the pipe is full or closed.</summary>
    public bool Write(byte value)
    {
        if (_writeFd < 0)
        {
            return false;
        }

        return Libc.write(_writeFd, &value, 1) == 1;
    }

    /// <summary>
    /// Reads one byte without blocking: the byte, -1 if none is there, or 0x100 at end of
    /// stream (the parent closed the pipe: the generation is over).
    /// </summary>
    public int TryRead()
    {
        byte b;
        nint n = Libc.read(_readFd, &b, 1);
        if (n == 1)
        {
            return b;
        }

        return n == 0 ? EndOfStream : -1;
    }

    /// <summary>The value <see cref="TryRead"/> returns at end of stream.</summary>
    public const int EndOfStream = 0x100;

    /// <summary>Closes the write end (every reader sees end of stream once the byte queue is empty).</summary>
    public void CloseWriteEnd()
    {
        if (_writeFd >= 0)
        {
            _ = Libc.close(_writeFd);
            _writeFd = -1;
        }
    }

    /// <summary>
    /// In the parent: whether a child started next inherits the read end (with several
    /// listener buckets each child gets only its own bucket's pipe of death).
    /// </summary>
    public void SetReadEndInheritable(bool inheritable)
    {
        if (_readFd >= 0)
        {
            Libc.SetInheritable(_readFd, inheritable);
        }
    }

    /// <summary>Closes the read end (the parent, once children of the generation are started).</summary>
    public void CloseReadEnd()
    {
        if (_readFd >= 0)
        {
            _ = Libc.close(_readFd);
            _readFd = -1;
        }
    }

    public void Dispose()
    {
        CloseWriteEnd();
        CloseReadEnd();
    }
}
