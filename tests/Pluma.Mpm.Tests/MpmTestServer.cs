using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Testing;

namespace Pluma.Mpm.Tests;

/// <summary>
/// The MPM test host started as a real parent process (dotnet exec) on 127.0.0.1:0; stopped
/// by pid (SIGTERM, then SIGKILL of its own tree) when disposed.
/// </summary>
internal sealed class MpmTestServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MpmTestServer(TempDirectory dir, Process process, int port)
    {
        Dir = dir;
        _process = process;
        Port = port;
    }

    public TempDirectory Dir { get; }

    public int Pid => _process.Id;

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string ErrorLog => File.Exists(Dir.Combine("error.log")) ? File.ReadAllText(Dir.Combine("error.log")) : string.Empty;

    public bool HasExited => _process.HasExited;

    public static string TestHostDll
    {
        get
        {
            string sep = Path.DirectorySeparatorChar.ToString();
            return Path.Combine(
                AppContext.BaseDirectory.Replace(sep + "Pluma.Mpm.Tests" + sep, sep + "Pluma.Mpm.TestHost" + sep, StringComparison.Ordinal),
                "Pluma.Mpm.TestHost.dll");
        }
    }

    public static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p ? p : "dotnet";

    public static Process Launch(TempDirectory dir, IEnumerable<string> args, StringBuilder output)
    {
        var psi = new ProcessStartInfo(DotNet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(TestHostDll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add("--dir");
        psi.ArgumentList.Add(dir.Path);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => Append(output, e.Data);
        p.ErrorDataReceived += (_, e) => Append(output, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    public static MpmTestServer Start(string mpm, params string[] settings)
    {
        var args = new List<string> { "--mpm", mpm };
        foreach (string s in settings)
        {
            if (s.StartsWith('-'))
            {
                args.Add(s);
            }
            else
            {
                args.Add("--set");
                args.Add(s);
            }
        }

        var dir = new TempDirectory("pluma-mpm-");
        var output = new StringBuilder();
        Process p = Launch(dir, args, output);
        string portFile = dir.Combine("port");
        long deadline = Environment.TickCount64 + 20_000;
        while (!File.Exists(portFile))
        {
            if (p.HasExited || Environment.TickCount64 > deadline)
            {
                throw new InvalidOperationException("test host did not start: " + output);
            }

            Thread.Sleep(20);
        }

        var server = new MpmTestServer(dir, p, int.Parse(File.ReadAllText(portFile)));
        lock (server._output)
        {
            server._output.Append(output);
        }

        return server;
    }

    public IReadOnlyList<int> Children() => ProcFs.Children(Pid);

    /// <summary>Threads of <paramref name="pid"/> whose name (comm) is <paramref name="name"/>.</summary>
    public static int NamedThreads(int pid, string name)
    {
        int n = 0;
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == name)
                    {
                        n++;
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return n;
    }

    public static bool WaitUntil(Func<bool> condition, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return condition();
    }

    /// <summary>One request on a new connection; the body (<c>pid=N</c>).</summary>
    public string Get(string path = "/", int timeoutMs = 10_000)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs };
        s.Connect(IPAddress.Loopback, Port);
        s.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        return ReadResponseBody(s);
    }

    public static string ReadResponseBody(Socket s)
    {
        var buffer = new byte[4096];
        int filled = 0;
        while (true)
        {
            int n = s.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("connection closed before the response was complete: " + Encoding.ASCII.GetString(buffer, 0, filled));
            }

            filled += n;
            string text = Encoding.ASCII.GetString(buffer, 0, filled);
            int head = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (head < 0)
            {
                continue;
            }

            if (!text.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal))
            {
                throw new IOException("unexpected response: " + text);
            }

            int lenAt = text.IndexOf("Content-Length: ", StringComparison.Ordinal) + 16;
            int len = int.Parse(text[lenAt..text.IndexOf('\r', lenAt)]);
            if (filled >= head + 4 + len)
            {
                return text.Substring(head + 4, len);
            }
        }
    }

    public void Signal(int signal) => NativeSignals.Kill(Pid, signal);

    public bool WaitForExit(int timeoutMs) => _process.WaitForExit(timeoutMs);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                NativeSignals.Kill(Pid, NativeSignals.SIGTERM);
            }
            catch (InvalidOperationException)
            {
            }

            if (!_process.WaitForExit(15_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        _process.Dispose();
        Dir.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
