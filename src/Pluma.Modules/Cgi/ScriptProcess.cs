using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Pluma.Modules.Cgi;

/// <summary>
/// One running CGI script, started with posix_spawn (apr_proc_create's job in mod_cgi): its
/// stdin, stdout and stderr are pipes to this process, every other descriptor of the child
/// (listening sockets, the error log, client connections of other threads) is closed before
/// exec, its working directory is the script's, and its signals start at their defaults. It runs
/// as this process's user: the MPM child has already switched to User/Group.
/// All waiting is poll(2) with the caller's timeout, so a silent script never holds a worker
/// longer than Timeout; stderr is drained while waiting so a chatty script cannot block on it.
/// </summary>
internal sealed unsafe partial class ScriptProcess : IDisposable
{
    private const int SIGTERM = 15;
    private const int SIGKILL = 9;
    private const int WNOHANG = 1;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int O_CLOEXEC = 0x80000;
    private const int O_NONBLOCK = 0x800;
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private const short POLLIN = 0x001;
    private const short POLLOUT = 0x004;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;

    /// <summary>Apache's HUGE_STRING_LEN: a longer stderr line is logged in pieces.</summary>
    private const int MaxErrorLine = 8192;

    private readonly StringBuilder _errLine = new();
    private int _stdin;
    private int _stdout;
    private int _stderr;
    private bool _reaped;

    private ScriptProcess(int pid, int stdin, int stdout, int stderr)
    {
        Pid = pid;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
    }

    public int Pid { get; }

    /// <summary>The wait status once reaped: killed by a signal (the script died) rather than exited.</summary>
    public bool DiedOfSignal { get; private set; }

    /// <summary>Starts <paramref name="path"/>; null with errno in <paramref name="error"/> when posix_spawn failed.</summary>
    public static ScriptProcess? Start(string path, string[] argv, string[] environment, string directory, out int error)
    {
        int* inPipe = stackalloc int[2];
        int* outPipe = stackalloc int[2];
        int* errPipe = stackalloc int[2];
        error = 0;
        if (pipe2(inPipe, O_CLOEXEC) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            return null;
        }

        if (pipe2(outPipe, O_CLOEXEC) != 0 || pipe2(errPipe, O_CLOEXEC) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            close(inPipe[0]);
            close(inPipe[1]);
            return null;
        }

        // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128:
        // room to spare for each.
        byte* actions = stackalloc byte[256];
        byte* attr = stackalloc byte[512];
        byte* sigs = stackalloc byte[256];
        var strings = new List<IntPtr>();
        int pid = 0;
        try
        {
            // Every step must succeed: a script that would keep a listener or run with the
            // server's signal mask is not started (fail closed).
            int setup = posix_spawn_file_actions_init(actions);
            setup |= posix_spawn_file_actions_adddup2(actions, inPipe[0], 0);
            setup |= posix_spawn_file_actions_adddup2(actions, outPipe[1], 1);
            setup |= posix_spawn_file_actions_adddup2(actions, errPipe[1], 2);
            setup |= posix_spawn_file_actions_addclosefrom_np(actions, 3); // no listener, log or socket reaches the script
            byte* dir = Utf8(directory, strings);
            setup |= posix_spawn_file_actions_addchdir_np(actions, dir);
            setup |= posix_spawnattr_init(attr);
            setup |= sigfillset(sigs);
            setup |= posix_spawnattr_setsigdefault(attr, sigs); // .NET ignores SIGPIPE; a script gets the default
            setup |= sigemptyset(sigs);
            setup |= posix_spawnattr_setsigmask(attr, sigs);
            setup |= posix_spawnattr_setflags(attr, (short)(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
            byte** argvp = Block(argv, strings);
            byte** envp = Block(environment, strings);
            error = setup != 0 ? 22 : posix_spawn(&pid, Utf8(path, strings), actions, attr, argvp, envp); // EINVAL
            _ = posix_spawn_file_actions_destroy(actions);
            _ = posix_spawnattr_destroy(attr);
        }
        finally
        {
            foreach (IntPtr p in strings)
            {
                NativeMemory.Free((void*)p);
            }

            close(inPipe[0]);
            close(outPipe[1]);
            close(errPipe[1]);
        }

        if (error != 0)
        {
            close(inPipe[1]);
            close(outPipe[0]);
            close(errPipe[0]);
            return null;
        }

        SetNonBlocking(inPipe[1]);
        SetNonBlocking(outPipe[0]);
        SetNonBlocking(errPipe[0]);
        return new ScriptProcess(pid, inPipe[1], outPipe[0], errPipe[0]);
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> to the script's stdin. False when the script stopped
    /// reading (closed stdin, exited) or took none within <paramref name="timeoutMs"/>.
    /// </summary>
    public bool WriteInput(ReadOnlySpan<byte> data, int timeoutMs, Action<string> errorLine)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                if (_stdin < 0)
                {
                    return false;
                }

                nint n = write(_stdin, p + done, data.Length - done);
                if (n > 0)
                {
                    done += (int)n;
                    continue;
                }

                int e = Marshal.GetLastPInvokeError();
                if (n < 0 && e != EAGAIN && e != EINTR)
                {
                    return false; // EPIPE: the script is not reading its input
                }

                if (Wait(_stdin, POLLOUT, timeoutMs, errorLine) == 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The request body is all written: the script sees the end of its input.</summary>
    public void CloseInput()
    {
        if (_stdin >= 0)
        {
            close(_stdin);
            _stdin = -1;
        }
    }

    /// <summary>
    /// Reads stdout into <paramref name="buffer"/>: the count, 0 at its end, -1 when nothing came
    /// within <paramref name="timeoutMs"/> (0: do not wait). stderr lines are passed on meanwhile.
    /// </summary>
    public int ReadOutput(Span<byte> buffer, int timeoutMs, Action<string> errorLine)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = read(_stdout, p, buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                int e = Marshal.GetLastPInvokeError();
                if (e != EAGAIN && e != EINTR)
                {
                    return 0;
                }

                if (Wait(_stdout, POLLIN, timeoutMs, errorLine) == 0)
                {
                    return -1;
                }
            }
        }
    }

    /// <summary>Passes on what is left on stderr until the script closes it or <paramref name="timeoutMs"/> passes.</summary>
    public void DrainErrors(int timeoutMs, Action<string> errorLine)
    {
        long end = Environment.TickCount64 + timeoutMs;
        while (_stderr >= 0)
        {
            int left = (int)Math.Max(0, end - Environment.TickCount64);
            if (!PumpErrors(left, errorLine))
            {
                break;
            }
        }

        if (_errLine.Length > 0)
        {
            errorLine(_errLine.ToString());
            _errLine.Clear();
        }
    }

    /// <summary>
    /// Reaps the script. One that has not exited gets SIGTERM, then SIGKILL after 3 seconds
    /// (APR's kill_after_timeout for a request pool's subprocess).
    /// </summary>
    public void Reap(bool kill)
    {
        if (_reaped)
        {
            return;
        }

        if (!kill && TryReap(5))
        {
            return;
        }

        kill_(Pid, SIGTERM);
        if (TryReap(3000))
        {
            return;
        }

        kill_(Pid, SIGKILL);
        TryReap(-1);
    }

    public void Dispose()
    {
        CloseInput();
        if (_stdout >= 0)
        {
            close(_stdout);
            _stdout = -1;
        }

        if (_stderr >= 0)
        {
            close(_stderr);
            _stderr = -1;
        }

        Reap(kill: true);
    }

    private bool TryReap(int waitMs)
    {
        long end = Environment.TickCount64 + waitMs;
        int delay = 1;
        while (true)
        {
            int status = 0;
            int r = waitpid(Pid, &status, waitMs < 0 ? 0 : WNOHANG);
            if (r == Pid || (r < 0 && Marshal.GetLastPInvokeError() != EINTR))
            {
                _reaped = true;
                DiedOfSignal = r == Pid && (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
                return true;
            }

            if (waitMs >= 0 && Environment.TickCount64 >= end)
            {
                return false;
            }

            System.Threading.Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 100);
        }
    }

    /// <summary>poll until <paramref name="fd"/> is ready, reading stderr meanwhile; 0 on timeout.</summary>
    private int Wait(int fd, short events, int timeoutMs, Action<string> errorLine)
    {
        long end = Environment.TickCount64 + timeoutMs;
        PollFd* fds = stackalloc PollFd[2];
        while (true)
        {
            int count = 1;
            fds[0] = new PollFd { Fd = fd, Events = events };
            if (_stderr >= 0)
            {
                fds[1] = new PollFd { Fd = _stderr, Events = POLLIN };
                count = 2;
            }

            int left = (int)Math.Max(0, end - Environment.TickCount64);
            int r = poll(fds, (nuint)count, left);
            if (r < 0)
            {
                if (Marshal.GetLastPInvokeError() == EINTR)
                {
                    continue;
                }

                return 1; // let the read or write report the error
            }

            if (count == 2 && fds[1].Revents != 0)
            {
                PumpErrors(0, errorLine);
            }

            if (fds[0].Revents != 0)
            {
                return 1;
            }

            if (r == 0 || Environment.TickCount64 >= end)
            {
                return 0;
            }
        }
    }

    /// <summary>Reads what stderr has; false once it is closed or nothing came within the wait.</summary>
    private bool PumpErrors(int timeoutMs, Action<string> errorLine)
    {
        byte* buf = stackalloc byte[4096];
        nint n = read(_stderr, buf, 4096);
        if (n < 0 && Marshal.GetLastPInvokeError() is EAGAIN or EINTR)
        {
            if (timeoutMs <= 0)
            {
                return false;
            }

            PollFd pfd = new() { Fd = _stderr, Events = POLLIN };
            return poll(&pfd, 1, timeoutMs) > 0;
        }

        if (n <= 0)
        {
            close(_stderr);
            _stderr = -1;
            return false;
        }

        for (int i = 0; i < n; i++)
        {
            byte b = buf[i];
            if (b == (byte)'\n' || _errLine.Length >= MaxErrorLine - 1)
            {
                if (_errLine.Length > 0 && _errLine[^1] == '\r')
                {
                    _errLine.Length--;
                }

                errorLine(_errLine.ToString());
                _errLine.Clear();
                if (b == (byte)'\n')
                {
                    continue;
                }
            }

            _errLine.Append((char)b);
        }

        return true;
    }

    private static void SetNonBlocking(int fd) => fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);

    private static byte* Utf8(string s, List<IntPtr> owned)
    {
        int length = Encoding.UTF8.GetByteCount(s);
        byte* p = (byte*)NativeMemory.Alloc((nuint)length + 1);
        owned.Add((IntPtr)p);
        fixed (char* c = s)
        {
            Encoding.UTF8.GetBytes(c, s.Length, p, length);
        }

        p[length] = 0;
        return p;
    }

    private static byte** Block(string[] items, List<IntPtr> owned)
    {
        byte** block = (byte**)NativeMemory.Alloc((nuint)(items.Length + 1), (nuint)sizeof(byte*));
        owned.Add((IntPtr)block);
        for (int i = 0; i < items.Length; i++)
        {
            block[i] = Utf8(items[i], owned);
        }

        block[items.Length] = null;
        return block;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill_(int pid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc")]
    private static partial int posix_spawn(int* pid, byte* path, byte* actions, byte* attr, byte** argv, byte** envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addclosefrom_np(byte* actions, int from);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addchdir_np(byte* actions, byte* path);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(byte* attr);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(byte* attr);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(byte* attr, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(byte* attr, byte* sigs);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigmask(byte* attr, byte* sigs);

    [LibraryImport("libc")]
    private static partial int sigfillset(byte* set);

    [LibraryImport("libc")]
    private static partial int sigemptyset(byte* set);
}
