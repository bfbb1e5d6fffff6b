using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;
using Pluma.Modules.Proxy;

namespace Pluma.Modules.ProxyHttp;

/// <summary>
/// One request through an HTTP/1.1 backend (proxy_http_handler): the head and the body
/// streamed to the backend, the response head read back, its fields mapped, its body streamed
/// to the client. A body is read from the client once and never sent to a second backend
/// connection: only a request whose body was not touched is retried (once, on a fresh
/// connection) when a pooled connection turns out closed.
/// </summary>
internal static class HttpExchange
{
    private const int BufferSize = 16384;

    // Apache's prefetch of a chunked request body (ap_proxy_prefetch_input): a body that ends
    // within it goes with a Content-Length.
    private const int PrefetchLimit = 16384;

    public static int Run(RequestRecord r, ProxyTarget target)
    {
        ProxyWorker w = target.Worker;
        byte[]? prefetched = null;
        int prefetchedLength = 0;
        bool bodyDone = !r.Request.HasBody;
        bool chunkedToBackend = false;
        if (!bodyDone && r.Request.ContentLength is null)
        {
            prefetched = ArrayPool<byte>.Shared.Rent(PrefetchLimit);
            bodyDone = Prefetch(r, prefetched, ref prefetchedLength);
            chunkedToBackend = !bodyDone;
        }

        try
        {
            for (int attempt = 0; ; attempt++)
            {
                BackendConnection? conn = ProxyRequest.Connect(r, w, "http", allowReuse: attempt == 0);
                if (conn is null)
                {
                    r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", "AH01114: HTTP: failed to make connection to backend: " + w.Host, LogClient.Of(r));
                    return 503;
                }

                bool reused = conn.Reused;
                bool bodyTouched = r.Request.HasBody && (prefetched is null || prefetchedLength > 0 || chunkedToBackend);
                try
                {
                    SendRequest(r, target, conn, prefetched, prefetchedLength, chunkedToBackend);
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    conn.Dispose();
                    if (reused && !bodyTouched && attempt == 0)
                    {
                        continue; // the pooled connection was closed by the backend: once more on a new one
                    }

                    // ap_proxy_pass_brigade: AH01084, 504 when the backend stopped reading, else 502.
                    r.Server.ErrorLog.Write(LogLevel.Error, "proxy", Errno(e) + "[client " + LogClient.Of(r) + "] AH01084: pass request body failed to " + w.Authority + " (" + w.Host + ")");
                    // proxy_http_handler's line after it: the connection's peer, without HostnameLookups its name is empty.
                    r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", "[client " + LogClient.Of(r) + "] AH01097: pass request body failed to " + w.Authority + " (" + w.Host + ") from " + r.Request.RemoteEndPoint.Address + " ()");
                    r.Http.KeepAlive = false;
                    return e is SocketException { SocketErrorCode: SocketError.TimedOut } or IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } } ? 504 : 502;
                }

                int rc = Respond(r, conn, w, reused && !bodyTouched && attempt == 0, out bool retry);
                if (retry)
                {
                    continue;
                }

                return rc;
            }
        }
        finally
        {
            if (prefetched is not null)
            {
                ArrayPool<byte>.Shared.Return(prefetched);
            }
        }
    }

    private static bool Prefetch(RequestRecord r, byte[] buffer, ref int length)
    {
        while (length < buffer.Length)
        {
            int n = r.Request.Read(buffer.AsSpan(length, Math.Min(PrefetchLimit, buffer.Length) - length));
            if (n == 0)
            {
                return true;
            }

            length += n;
        }

        return false;
    }

    private static void SendRequest(RequestRecord r, ProxyTarget target, BackendConnection conn, byte[]? prefetched, int prefetchedLength, bool chunked)
    {
        var sb = new StringBuilder(512);
        sb.Append(r.Request.Method).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in ProxyHeaders.ForBackend(r, target.Worker))
        {
            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        long? length = r.Request.ContentLength;
        if (r.Request.HasBody)
        {
            if (chunked)
            {
                sb.Append("Transfer-Encoding: chunked\r\n");
            }
            else
            {
                sb.Append("Content-Length: ").Append((length ?? prefetchedLength).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }
        }

        sb.Append(target.Worker.DisableReuse ? "Connection: close\r\n\r\n" : "Connection: Keep-Alive\r\n\r\n");
        conn.Write(Encoding.Latin1.GetBytes(sb.ToString()));
        if (!r.Request.HasBody)
        {
            return;
        }

        if (prefetched is not null)
        {
            if (!chunked)
            {
                conn.Write(prefetched.AsSpan(0, prefetchedLength));
                return;
            }

            WriteChunk(conn, prefetched.AsSpan(0, prefetchedLength));
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int n = r.Request.Read(buffer.AsSpan(0, BufferSize));
                if (n == 0)
                {
                    break;
                }

                if (chunked)
                {
                    WriteChunk(conn, buffer.AsSpan(0, n));
                }
                else
                {
                    conn.Write(buffer.AsSpan(0, n));
                }
            }

            if (chunked)
            {
                conn.Write("0\r\n\r\n"u8);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteChunk(BackendConnection conn, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        conn.Write(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
        conn.Write(data);
        conn.Write("\r\n"u8);
    }

    private static int Respond(RequestRecord r, BackendConnection conn, ProxyWorker w, bool mayRetry, out bool retry)
    {
        retry = false;
        string? statusLine;
        List<KeyValuePair<string, string>> fields;
        int status;
        try
        {
            while (true)
            {
                statusLine = conn.ReadLine();
                if (statusLine is null)
                {
                    if (mayRetry)
                    {
                        conn.Dispose();
                        retry = true;
                        return 0;
                    }

                    conn.Dispose();
                    r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", "(70014)End of file found: [client " + LogClient.Of(r) + "] AH01102: error reading status line from remote server " + w.Authority);
                    return ProxyRequest.ProxyError(r, 502, "Error reading from remote server");
                }

                if (!TryParseStatus(statusLine, out status))
                {
                    conn.Dispose();
                    r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", "[client " + LogClient.Of(r) + "] AH01105: bad HTTP/1.x status line returned by " + r.Uri);
                    return ProxyRequest.ProxyError(r, 502, "Invalid response");
                }

                fields = ReadFields(conn);
                if (status is >= 100 and < 200 && status != 101)
                {
                    continue; // interim answers (100 Continue) are the backend's and ours alone
                }

                break;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ProxyProtocolException)
        {
            conn.Dispose();
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", Errno(e) + "[client " + LogClient.Of(r) + "] AH01102: error reading status line from remote server " + w.Authority);
            return ProxyRequest.ProxyError(r, 502, "Error reading from remote server");
        }

        bool http11 = statusLine.StartsWith("HTTP/1.1", StringComparison.Ordinal);
        string? connection = null, transferEncoding = null;
        long contentLength = -1;
        foreach (var (name, value) in fields)
        {
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                connection = connection is null ? value : connection + ", " + value;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long cl))
            {
                contentLength = cl;
            }
        }

        List<string> tokens = ProxyHeaders.ConnectionTokens(connection);
        bool keepAlive = http11 ? !HasToken(tokens, "close") : HasToken(tokens, "keep-alive");
        bool chunked = transferEncoding is not null && transferEncoding.TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
        bool noBody = r.Request.IsHead || status is 204 or 304;
        conn.CanReuse = keepAlive && (noBody || chunked || contentLength >= 0);

        if (status >= 400 && ProxyModule.DirConfig(r).ErrorOverride == true)
        {
            // ProxyErrorOverride: the backend's page is dropped for ours (and ErrorDocument).
            Drain(conn, noBody, chunked, contentLength);
            Finish(w, conn);
            return status;
        }

        var response = r.Response;
        response.StatusCode = status;
        int sp = statusLine.IndexOf(' ', StringComparison.Ordinal);
        string reason = sp > 0 && statusLine.Length > sp + 4 ? statusLine[(sp + 5)..] : string.Empty;
        response.ReasonPhrase = reason.Length > 0 && reason != Pluma.Http.HttpStatus.ReasonPhrase(status) ? reason : null;
        foreach (var (name, value) in fields)
        {
            if (ProxyHeaders.IsHopByHop(name, tokens) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Date", StringComparison.OrdinalIgnoreCase) || name.Equals("Server", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
                r.ContentType = value;
            }
            else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase)
                || name.Equals("URI", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Add(name, ProxyHeaders.ReverseMap(r, value));
            }
            else
            {
                response.Headers.Add(name, value);
            }
        }

        if (contentLength >= 0 && !chunked)
        {
            response.ContentLength = contentLength;
        }

        if (noBody)
        {
            Finish(w, conn);
            return HookResult.Ok;
        }

        try
        {
            bool complete = chunked ? CopyChunked(r, conn) : CopyBody(r, conn, contentLength);
            if (!complete)
            {
                conn.CanReuse = false;
                if (contentLength >= 0 || chunked)
                {
                    // A body cut short: the client must not take it for a whole one.
                    r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", "[client " + LogClient.Of(r) + "] AH01110: error reading response");
                    r.Http.KeepAlive = false;
                }
            }
        }
        catch (Exception e) when (e is SocketException || (e is IOException && !response.HasStarted))
        {
            conn.Dispose();
            r.Server.ErrorLog.Write(LogLevel.Error, "proxy_http", Errno(e) + "[client " + LogClient.Of(r) + "] AH01110: error reading response");
            r.Http.KeepAlive = false;
            return HookResult.Ok;
        }
        catch
        {
            conn.Dispose(); // the client went away mid-response
            throw;
        }

        Finish(w, conn);
        return HookResult.Ok;
    }

    private static void Finish(ProxyWorker w, BackendConnection conn)
    {
        if (conn.CanReuse && !conn.HasBufferedInput)
        {
            w.Release(conn);
        }
        else
        {
            conn.Dispose();
        }
    }

    private static bool HasToken(List<string> tokens, string token)
    {
        foreach (string t in tokens)
        {
            if (t.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseStatus(string line, out int status)
    {
        status = 0;
        if (!line.StartsWith("HTTP/1.", StringComparison.Ordinal) || line.Length < 12 || line[8] != ' ')
        {
            return false;
        }

        return int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out status) && status >= 100 && (line.Length == 12 || line[12] == ' ');
    }

    private static List<KeyValuePair<string, string>> ReadFields(BackendConnection conn)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (true)
        {
            string line = conn.ReadLine() ?? throw new ProxyProtocolException("backend closed the connection in the response head");
            if (line.Length == 0)
            {
                return fields;
            }

            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                var last = fields[^1];
                fields[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue; // ProxyBadHeader IsError's lenient twin: Apache drops such lines
            }

            fields.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
    }

    private static bool CopyBody(RequestRecord r, BackendConnection conn, long length)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long left = length;
            while (length < 0 || left > 0)
            {
                int want = length < 0 ? BufferSize : (int)Math.Min(BufferSize, left);
                int n = conn.Read(buffer.AsSpan(0, want));
                if (n == 0)
                {
                    return length < 0;
                }

                r.Response.Write(buffer.AsSpan(0, n));
                left -= n;
                if (!conn.HasInputNow)
                {
                    r.Response.Flush();
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool CopyChunked(RequestRecord r, BackendConnection conn)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                string? sizeLine = conn.ReadLine();
                if (sizeLine is null)
                {
                    return false;
                }

                int semi = sizeLine.IndexOf(';', StringComparison.Ordinal);
                string hex = (semi < 0 ? sizeLine : sizeLine[..semi]).Trim();
                if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
                {
                    throw new ProxyProtocolException("bad chunk size");
                }

                if (size == 0)
                {
                    while (conn.ReadLine() is { Length: > 0 })
                    {
                        // trailer fields are not passed on
                    }

                    return true;
                }

                while (size > 0)
                {
                    int n = conn.Read(buffer.AsSpan(0, (int)Math.Min(BufferSize, size)));
                    if (n == 0)
                    {
                        return false;
                    }

                    r.Response.Write(buffer.AsSpan(0, n));
                    size -= n;
                }

                if (conn.ReadLine() is not { Length: 0 })
                {
                    throw new ProxyProtocolException("chunk without its CRLF");
                }

                if (!conn.HasInputNow)
                {
                    r.Response.Flush();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Drain(BackendConnection conn, bool noBody, bool chunked, long length)
    {
        if (noBody)
        {
            return;
        }

        if (!chunked && length < 0)
        {
            conn.CanReuse = false;
            return;
        }

        // Small error pages are read to keep the connection; a large one costs the connection instead.
        if (chunked || length > BufferSize)
        {
            conn.CanReuse = false;
            return;
        }

        Span<byte> sink = stackalloc byte[1024];
        long left = length;
        while (left > 0)
        {
            int n = conn.Read(sink[..(int)Math.Min(sink.Length, left)]);
            if (n == 0)
            {
                conn.CanReuse = false;
                return;
            }

            left -= n;
        }
    }

    private static string Errno(Exception e) => e switch
    {
        SocketException s => ProxyRequest.ErrnoText(s),
        IOException { InnerException: SocketException s } => ProxyRequest.ErrnoText(s),
        _ => string.Empty,
    };
}
