using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Headless Chromium kept open on one page and driven through the DevTools protocol (a
/// WebSocket on loopback): evaluates expressions in the live page while the test does other
/// things, and takes screenshots. For pages that change after load (<see cref="BrowserChromium"/>
/// covers the one-shot <c>--dump-dom</c>). The browser is stopped by its pid.
/// </summary>
internal sealed class BrowserDevTools : IDisposable
{
    private const int StartTimeoutMs = 60_000;
    private const int CallTimeoutMs = 30_000;

    private readonly TempDirectory _profile = new("pluma-chromium-");
    private readonly Process _browser;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    public BrowserDevTools(string url, int width = 1280, int height = 1800)
    {
        Assert.True(File.Exists(BrowserChromium.Binary), $"Chromium is not installed ({BrowserChromium.Binary} is missing): apt-get install -y chromium");
        var start = new ProcessStartInfo(BrowserChromium.Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            $"--window-size={width},{height}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--user-data-dir=" + _profile.Path, url])
        {
            start.ArgumentList.Add(arg);
        }

        _browser = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        // Chromium's chatter (dbus, GPU) is read and dropped so its pipes never fill.
        _browser.OutputDataReceived += (_, _) => { };
        _browser.ErrorDataReceived += (_, _) => { };
        _browser.BeginOutputReadLine();
        _browser.BeginErrorReadLine();
        try
        {
            Connect(url);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page; its value (JSON-serialisable) comes back as a JsonElement.</summary>
    public JsonElement Evaluate(string expression)
    {
        JsonElement result = Call("Runtime.evaluate", w =>
        {
            w.WriteString("expression", expression);
            w.WriteBoolean("returnByValue", true);
        });
        if (result.TryGetProperty("exceptionDetails", out JsonElement ex))
        {
            throw new InvalidOperationException("page script failed: " + ex.GetRawText());
        }

        JsonElement value = result.GetProperty("result");
        return value.TryGetProperty("value", out JsonElement v) ? v.Clone() : default;
    }

    /// <summary>Waits until <paramref name="expression"/> is true in the page.</summary>
    public bool WaitFor(string expression, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (Evaluate("(function () { try { return !!(" + expression + "); } catch (e) { return false; } })()").ValueKind == JsonValueKind.True)
            {
                return true;
            }

            Thread.Sleep(250);
        }

        return false;
    }

    /// <summary>Saves a PNG of the whole page to <paramref name="path"/>.</summary>
    public void Screenshot(string path)
    {
        JsonElement result = Call("Page.captureScreenshot", w =>
        {
            w.WriteString("format", "png");
            w.WriteBoolean("captureBeyondViewport", true);
        });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Convert.FromBase64String(result.GetProperty("data").GetString()!));
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            if (!_browser.HasExited)
            {
                _browser.Kill(entireProcessTree: true);
                _browser.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _browser.Dispose();
        _profile.Dispose();
    }

    // Chromium writes its port to DevToolsActivePort in the profile; /json/list names the page's socket.
    private void Connect(string url)
    {
        string portFile = Path.Combine(_profile.Path, "DevToolsActivePort");
        long deadline = Environment.TickCount64 + StartTimeoutMs;
        string? port = null;
        while (port is null)
        {
            Assert.False(_browser.HasExited, "chromium exited before it opened its DevTools port");
            Assert.True(Environment.TickCount64 < deadline, "chromium opened no DevTools port within " + StartTimeoutMs + " ms");
            if (File.Exists(portFile))
            {
                string[] lines = File.ReadAllLines(portFile);
                port = lines.Length > 1 ? lines[0] : null;
            }

            if (port is null)
            {
                Thread.Sleep(100);
            }
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        string? socketUrl = null;
        while (socketUrl is null)
        {
            Assert.True(Environment.TickCount64 < deadline, "chromium listed no page for " + url);
            using JsonDocument list = JsonDocument.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").Result);
            socketUrl = list.RootElement.EnumerateArray()
                .Where(t => t.GetProperty("type").GetString() == "page")
                .Select(t => t.GetProperty("webSocketDebuggerUrl").GetString())
                .FirstOrDefault();
            if (socketUrl is null)
            {
                Thread.Sleep(100);
            }
        }

        using var cts = new CancellationTokenSource(CallTimeoutMs);
        _socket.ConnectAsync(new Uri(socketUrl), cts.Token).Wait();
    }

    private JsonElement Call(string method, Action<Utf8JsonWriter> writeParams)
    {
        int id = ++_nextId;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            w.WriteStartObject("params");
            writeParams(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        using var cts = new CancellationTokenSource(CallTimeoutMs);
        _socket.SendAsync(buffer.ToArray(), WebSocketMessageType.Text, true, cts.Token).Wait();
        while (true)
        {
            using JsonDocument message = JsonDocument.Parse(Receive(cts.Token));
            JsonElement root = message.RootElement;
            // Events (no id) and answers to other calls are skipped.
            if (!root.TryGetProperty("id", out JsonElement got) || got.GetInt32() != id)
            {
                continue;
            }

            if (root.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException(method + " failed: " + error.GetRawText());
            }

            return root.GetProperty("result").Clone();
        }
    }

    private string Receive(CancellationToken token)
    {
        var chunk = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = _socket.ReceiveAsync(chunk, token).Result;
            if (r.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("chromium closed the DevTools socket");
            }

            message.Write(chunk, 0, r.Count);
        }
        while (!r.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }
}
