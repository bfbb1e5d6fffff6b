using System.Runtime.InteropServices;

namespace Pluma.Mpm.Common;

/// <summary>The process calls the MPM needs (signals by pid, thread ids).</summary>
internal static partial class Sys
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGTERM = 15;
    public const int SIGWINCH = 28;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>
    /// Gives <paramref name="signals"/> back their default action where the process inherited
    /// them ignored (a service manager or shell that ran us under nohup, a CI runner), so that the
    /// PosixSignalRegistration made next takes effect: .NET leaves an inherited SIG_IGN in place
    /// (System.Native's InstallSignalHandler), while Apache's set_signals installs its handlers
    /// whatever it inherited, and `apachectl restart` must restart.
    /// </summary>
    public static unsafe void UnignoreSignals(params ReadOnlySpan<int> signals)
    {
        const nint SIG_DFL = 0, SIG_IGN = 1;
        byte* action = stackalloc byte[256]; // struct sigaction; the handler is its first member
        foreach (int signal in signals)
        {
            if (sigaction(signal, null, action) == 0 && *(nint*)action == SIG_IGN)
            {
                _ = Signal(signal, SIG_DFL);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static unsafe partial int sigaction(int signal, byte* action, byte* oldAction);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    /// <summary>The soft RLIMIT_NOFILE, the one accept(2) and open(2) fail against.</summary>
    public static unsafe long DescriptorLimit()
    {
        const int RLIMIT_NOFILE = 7;
        ulong* limit = stackalloc ulong[2];
        return getrlimit(RLIMIT_NOFILE, limit) == 0 ? (long)Math.Min(limit[0], int.MaxValue) : 1024;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static unsafe partial int getrlimit(int resource, ulong* limit);

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int GetTid();

    /// <summary>Linux signal names for AH00052 (strsignal wording).</summary>
    public static string SignalName(int signal) => signal switch
    {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        5 => "Trace/breakpoint trap",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        _ => "Unknown signal " + signal.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
