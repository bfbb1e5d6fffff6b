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
