using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;

namespace Pluma.Admin;

/// <summary>
/// <c>apachectl status|fullstatus</c>: fetches the server-status page and prints it as text. Debian
/// shells out to <c>www-browser -dump</c>; Pluma fetches it itself over HTTP/1.0 (no browser needed)
/// unless <c>APACHE_LYNX</c> names a command, which is then run as Debian runs it.
/// </summary>
internal sealed class StatusPage(AdminContext context, IReadOnlyDictionary<string, string> env)
{
    private const int MaxResponseBytes = 8 << 20;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public int Show(string url, bool full)
    {
        string? text = env.TryGetValue("APACHE_LYNX", out string? lynx) && lynx.Length > 0 ? RunBrowser(lynx, url) : Fetch(url);
        if (text is null)
        {
            return 1;
        }

        if (!full)
        {
            // status stops after the scoreboard key, whose last line ends in "process" (Debian's awk).
            int end = 0;
            foreach (string line in text.Split('\n'))
            {
                end += line.Length + 1;
                if (line.EndsWith("process", StringComparison.Ordinal))
                {
                    text = text[..Math.Min(end, text.Length)];
                    break;
                }
            }
        }

        context.Out.Write(text);
        return 0;
    }

    private string? RunBrowser(string lynx, string url)
    {
        var captured = new StringWriter();
        int rc = ChildProcess.Run(context, "/bin/sh", ["-c", lynx + " \"$1\"", "sh", url], env, captureStdout: captured);
        if (rc != 0)
        {
            context.Error.Write($"'{lynx} {url}' failed.\n");
            context.Error.Write("Maybe you need to install a package providing www-browser or you\n");
            context.Error.Write("need to adjust the APACHE_LYNX variable in envvars\n");
            return null;
        }

        return captured.ToString();
    }

    private string? Fetch(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != "http")
        {
            context.Error.Write($"Cannot fetch {url}: only http:// status URLs are supported (set APACHE_LYNX for others)\n");
            return null;
        }

        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync(uri.Host, uri.Port).Wait(s_timeout))
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            client.ReceiveTimeout = client.SendTimeout = (int)s_timeout.TotalMilliseconds;
            using NetworkStream stream = client.GetStream();
            string request = $"GET {uri.PathAndQuery} HTTP/1.0\r\nHost: {uri.Authority}\r\nUser-Agent: Pluma-apachectl\r\nAccept: text/html\r\n\r\n";
            stream.Write(Encoding.ASCII.GetBytes(request));
            using var body = new MemoryStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = stream.Read(buffer)) > 0 && body.Length < MaxResponseBytes)
            {
                body.Write(buffer, 0, n);
            }

            return HtmlDump.Render(HttpBody(body.ToArray()));
        }
        catch (Exception e) when (e is SocketException or IOException or AggregateException)
        {
            string reason = (e as AggregateException)?.InnerException?.Message ?? e.Message;
            context.Error.Write($"Fetching {url} failed: {reason}\n");
            context.Error.Write("Is the server running, with mod_status enabled? APACHE_STATUSURL in envvars sets the URL.\n");
            return null;
        }
    }

    /// <summary>The decoded body of a raw HTTP response (headers dropped, chunked decoded).</summary>
    internal static string HttpBody(byte[] response)
    {
        ReadOnlySpan<byte> all = response;
        int headerEnd = all.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return Encoding.UTF8.GetString(all);
        }

        string headers = Encoding.ASCII.GetString(all[..headerEnd]);
        ReadOnlySpan<byte> body = all[(headerEnd + 4)..];
        if (headers.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            using var decoded = new MemoryStream();
            while (true)
            {
                int eol = body.IndexOf("\r\n"u8);
                if (eol < 0)
                {
                    break;
                }

                string sizeText = Encoding.ASCII.GetString(body[..eol]).Split(';')[0].Trim();
                if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out int size) || size <= 0 || eol + 2 + size > body.Length)
                {
                    break;
                }

                decoded.Write(body.Slice(eol + 2, size));
                body = body[Math.Min(body.Length, eol + 2 + size + 2)..];
            }

            return Encoding.UTF8.GetString(decoded.ToArray());
        }

        return Encoding.UTF8.GetString(body);
    }
}
