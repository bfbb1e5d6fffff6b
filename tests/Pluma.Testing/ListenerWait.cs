using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;

namespace Pluma.Testing;

/// <summary>
/// Waiting for a process the tests started (bin/pluma, apache2, php-fpm) to take connections:
/// one loop for all of them, which fails fast with the process's output when it exits first.
/// </summary>
public static class ListenerWait
{
    /// <summary>Whether something accepts a TCP connection on 127.0.0.1:<paramref name="port"/> now.</summary>
    public static bool Accepts(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls every 50 ms until <paramref name="alsoReady"/> holds (a pid file, a socket file)
    /// and the port accepts; throws with <paramref name="diagnostics"/> when the process exits
    /// first or <paramref name="timeoutMs"/> passes.
    /// </summary>
    public static void Until(Process process, string name, int port, int timeoutMs, Func<bool> alsoReady, Func<string> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(alsoReady);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{diagnostics()}");
            }

            if (alsoReady() && Accepts(port))
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"{name} did not listen on {port} within {timeoutMs} ms:\n{diagnostics()}");
    }
}
