using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;
using Pluma.Modules.Proxy;
using Pluma.Modules.Script;

namespace Pluma.Modules.ProxyFcgi;

/// <summary>
/// One request through a FastCGI backend (proxy_fcgi_handler, fcgi_do_request, dispatch):
/// the body read ahead up to 16 KiB, the connection, FCGI_BEGIN_REQUEST, FCGI_PARAMS and
/// FCGI_STDIN, then the records read back until FCGI_END_REQUEST: STDOUT through the CGI
/// header parser to the client, STDERR to the error log (AH01071). The body is read from the
/// client once and sent on one connection only: nothing is retried.
/// </summary>
internal static class FcgiExchange
{
    private const ushort RequestId = 1;

    // Apache's MAX_MEM_SPOOL: the body read ahead before connecting.
    private const int PrefetchLimit = 16384;

    // AP_IOBUFSIZE: the piece of a record read at once (and so the most an AH01071 line quotes).
    private const int IoBufferSize = 8192;

    private const string Module = "proxy_fcgi";

    public static int Run(RequestRecord r, ProxyWorker w, FcgiDirConfig d, string filename)
    {
        byte[] pre = ArrayPool<byte>.Shared.Rent(PrefetchLimit);
        MemoryStream? spool = null;
        try
        {
            int preLength = 0;
            bool bodyDone = true;
            long? contentLength = null;
            if (r.Request.HasBody)
            {
                bodyDone = Prefetch(r, pre, ref preLength);
                if (bodyDone)
                {
                    contentLength = preLength;
                }
                else if (r.Request.ContentLength is null && r.HasEnvironment && r.Environment.ContainsKey("proxy-sendcl"))
                {
                    // proxy-sendcl: the whole body is read first so that CONTENT_LENGTH can be sent.
                    spool = Spool(r);
                    contentLength = preLength + spool.Length;
                    bodyDone = true;
                }
            }

            // The scheme does not keep connections unless asked: enablereuse=on (or disablereuse=off).
            bool keep = w.DisableReuseSet && !w.DisableReuse;
            BackendConnection? conn = ProxyRequest.Connect(r, w, "FCGI", allowReuse: keep);
            if (conn is null)
            {
                r.Server.ErrorLog.Write(LogLevel.Error, Module, "AH01079: failed to make connection to backend: " + w.Host, LogClient.Of(r));
                return 503;
            }

            var exchange = new Exchange(r, conn, d, keep);
            try
            {
                return exchange.Run(filename, contentLength, pre.AsSpan(0, preLength), bodyDone, spool);
            }
            finally
            {
                if (exchange.Reusable)
                {
                    w.Release(conn);
                }
                else
                {
                    conn.Dispose();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pre);
            spool?.Dispose();
        }
    }

    private static bool Prefetch(RequestRecord r, byte[] buffer, ref int length)
    {
        while (length < PrefetchLimit)
        {
            int n = r.Request.Read(buffer.AsSpan(length, PrefetchLimit - length));
            if (n == 0)
            {
                return true;
            }

            length += n;
        }

        return false;
    }

    private static MemoryStream Spool(RequestRecord r)
    {
        var spool = new MemoryStream();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(IoBufferSize);
        try
        {
            int n;
            while ((n = r.Request.Read(buffer.AsSpan(0, IoBufferSize))) > 0)
            {
                spool.Write(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        spool.Position = 0;
        return spool;
    }

    /// <summary>The state of one exchange on one connection.</summary>
    private sealed class Exchange
    {
        private readonly RequestRecord _r;
        private readonly BackendConnection _conn;
        private readonly FcgiDirConfig _d;
        private readonly bool _keep;
        private readonly FcgiRecordReader _reader;
        private readonly ScriptHeaders _headers = new();
        private bool _responded;
        private bool _clientWrite;
        private bool _seenEndOfHeaders;
        private bool _ignoreBody;
        private int _overrideStatus;
        private int _status = HookResult.Ok;

        public Exchange(RequestRecord r, BackendConnection conn, FcgiDirConfig d, bool keep)
        {
            _r = r;
            _conn = conn;
            _d = d;
            _keep = keep;
            _reader = new FcgiRecordReader(conn.Read);
        }

        /// <summary>Whether the connection ended the exchange clean and may serve the next request.</summary>
        public bool Reusable { get; private set; }

        public int Run(string filename, long? contentLength, ReadOnlySpan<byte> prefetched, bool bodyDone, MemoryStream? spool)
        {
            RequestRecord r = _r;
            try
            {
                _conn.Write(FcgiCodec.BeginRequest(RequestId, _keep));
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                Log(Errno(e), "AH01073: Failed Writing Request to " + ServerPortText(r) + ":");
                return 503;
            }

            try
            {
                var skipped = new List<string>();
                byte[] parameters = FcgiCodec.EncodeParams(FcgiParams.Build(r, _d, filename, contentLength).Variables, RequestId, skipped);
                foreach (string name in skipped)
                {
                    r.Server.ErrorLog.Write(LogLevel.Warn, Module, "AH02536: couldn't encode envvar '" + name + "' in " + FcgiCodec.ParamsRecordLimit.ToString(CultureInfo.InvariantCulture) + " bytes", LogClient.Of(r));
                }

                _conn.Write(parameters);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                Log(Errno(e), "AH01074: Failed writing Environment to " + ServerPortText(r) + ":");
                return 503;
            }

            string? failure = null;
            try
            {
                failure = "sending stdin";
                SendBody(prefetched, bodyDone, spool);
                failure = null;
                Dispatch();
            }
            catch (Exception e) when (!_clientWrite && e is SocketException or IOException or FcgiProtocolException)
            {
                return Failed(e, failure);
            }

            return _overrideStatus != 0 ? _overrideStatus : _status;
        }

        private void SendBody(ReadOnlySpan<byte> prefetched, bool bodyDone, MemoryStream? spool)
        {
            var stdin = new FcgiStdinWriter(_conn.Write, RequestId);
            stdin.Write(prefetched);
            if (spool is not null)
            {
                stdin.Write(spool.GetBuffer().AsSpan(0, (int)spool.Length));
            }
            else if (!bodyDone)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(IoBufferSize);
                try
                {
                    int n;
                    while ((n = _r.Request.Read(buffer.AsSpan(0, IoBufferSize))) > 0)
                    {
                        stdin.Write(buffer.AsSpan(0, n));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            stdin.End();
        }

        // dispatch's reading half: records until FCGI_END_REQUEST.
        private void Dispatch()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(IoBufferSize);
            try
            {
                while (true)
                {
                    FcgiHeader h;
                    try
                    {
                        if (!_reader.TryReadHeader(out h))
                        {
                            Log(string.Empty, "AH01067: Failed to read FastCGI header");
                            throw new FcgiProtocolException(70014, "End of file found", null);
                        }
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                    {
                        // Apache waits for the next record in apr_poll: its timeout is "polling".
                        throw new FcgiProtocolException(70007, "The timeout specified has expired", "polling");
                    }
                    catch (Exception e) when (e is SocketException or EndOfStreamException)
                    {
                        Log(string.Empty, "AH01067: Failed to read FastCGI header");
                        throw;
                    }

                    if (h.Version != FcgiCodec.Version1)
                    {
                        Log(string.Empty, "AH01068: Got bogus version " + h.Version.ToString(CultureInfo.InvariantCulture));
                        throw new FcgiProtocolException(22, "Invalid argument", null);
                    }

                    if (h.RequestId != RequestId)
                    {
                        Log(string.Empty, "AH01069: Got bogus rid " + h.RequestId.ToString(CultureInfo.InvariantCulture) + ", expected " + RequestId.ToString(CultureInfo.InvariantCulture));
                        throw new FcgiProtocolException(22, "Invalid argument", null);
                    }

                    switch (h.Type)
                    {
                        case FcgiRecordType.Stdout:
                            Stdout(buffer);
                            break;
                        case FcgiRecordType.Stderr:
                            Stderr(buffer);
                            break;
                        case FcgiRecordType.EndRequest:
                            _reader.SkipRecord();
                            Reusable = _keep && _conn.CanReuse;
                            return;
                        default:
                            Log(string.Empty, "AH01072: Got bogus record " + ((int)h.Type).ToString(CultureInfo.InvariantCulture));
                            break;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void Stdout(byte[] buffer)
        {
            HttpResponse response = _r.Response;
            if (_reader.ContentLeft == 0)
            {
                // The empty record ends the output: a block that never ended is Apache's 500.
                if (!_seenEndOfHeaders)
                {
                    _seenEndOfHeaders = true;
                    _status = ScriptResponse.EndedEarly(_r, _headers, Module);
                }

                return;
            }

            int n;
            while ((n = _reader.ReadContent(buffer.AsSpan(0, IoBufferSize))) > 0)
            {
                int used = 0;
                if (!_seenEndOfHeaders)
                {
                    used = _headers.Feed(buffer.AsSpan(0, n));
                    if (!_headers.IsComplete && _headers.MalformedLine is null)
                    {
                        continue;
                    }

                    _seenEndOfHeaders = true;
                    if (!HeadersComplete())
                    {
                        continue;
                    }
                }

                if (used < n && !_ignoreBody && _overrideStatus == 0 && _status == HookResult.Ok)
                {
                    _responded = true;
                    _clientWrite = true;
                    response.Write(buffer.AsSpan(used, n - used));
                    _clientWrite = false;
                }
            }

            if (_responded && !_conn.HasInputNow)
            {
                _clientWrite = true;
                response.Flush();
                _clientWrite = false;
            }
        }

        // The header block is in: apply it (ap_scan_script_header_err_brigade_ex), or keep the
        // status ProxyErrorOverride replaces with a local page. False when the body is not sent.
        private bool HeadersComplete()
        {
            RequestRecord r = _r;
            if (_headers.MalformedLine is not null || !_headers.HasValidStatus)
            {
                _status = ScriptResponse.Apply(r, _headers, Module);
                Log(string.Empty, "AH01070: Error parsing script headers");
                _ignoreBody = true;
                return false;
            }

            int status = _headers.Status ?? 200;
            if (status >= 400 && ProxyModule.DirConfig(r).ErrorOverride == true && r.Previous is null)
            {
                _overrideStatus = status;
                return false;
            }

            ScriptResponse.Apply(r, _headers, Module);
            if (status is 304 or 204)
            {
                _ignoreBody = true;
                return false;
            }

            return true;
        }

        private void Stderr(byte[] buffer)
        {
            int n;
            while ((n = _reader.ReadContent(buffer.AsSpan(0, IoBufferSize))) > 0)
            {
                // The error log escapes each byte of a non-ASCII character (\xhh) as Apache does.
                Log(string.Empty, "AH01071: Got error '" + Encoding.UTF8.GetString(buffer, 0, n) + "'");
            }
        }

        // fcgi_do_request's failure path: AH01075, then 504 for a timeout, 503 otherwise, or
        // (once the response has begun) a cut connection so the client cannot take it for whole.
        private int Failed(Exception e, string? what)
        {
            RequestRecord r = _r;
            string errno = e is FcgiProtocolException p ? p.ErrnoText : Errno(e);
            string? err = e is FcgiProtocolException { What: { } w } ? w : what;
            if (e is SocketException { SocketErrorCode: SocketError.TimedOut } && err is null)
            {
                err = "polling";
            }

            Log(errno, "AH01075: Error dispatching request to " + ServerPortText(r) + ": " + (err is null ? string.Empty : "(" + err + ")"));
            if (_responded || r.Response.HasStarted)
            {
                r.Response.Abort();
                return HookResult.Done;
            }

            bool timedOut = e is FcgiProtocolException { Errno: 70007 } || e is SocketException { SocketErrorCode: SocketError.TimedOut }
                || e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } };
            return timedOut ? 504 : 503;
        }

        private void Log(string errno, string message) =>
            _r.Server.ErrorLog.Write(LogLevel.Error, Module, errno + "[client " + LogClient.Of(_r) + "] " + message);
    }

    /// <summary>server_portstr of ap_proxy_determine_connection: the port the client asked, after ':', or nothing for the scheme's default.</summary>
    private static string ServerPortText(RequestRecord r)
    {
        int port = ServerUrl.RequestPort(r);
        return port == (ServerUrl.IsSecure(r) ? 443 : 80) ? string.Empty : ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    private static string Errno(Exception e) => e switch
    {
        SocketException s => ProxyRequest.ErrnoText(s),
        IOException { InnerException: SocketException s } => ProxyRequest.ErrnoText(s),
        EndOfStreamException => "(70014)End of file found: ",
        _ => string.Empty,
    };
}

/// <summary>A FastCGI exchange that cannot go on: Apache's status code and text, and what was being done.</summary>
internal sealed class FcgiProtocolException(int errno, string text, string? what) : Exception(text)
{
    public int Errno { get; } = errno;

    public string? What { get; } = what;

    public string ErrnoText => "(" + Errno.ToString(CultureInfo.InvariantCulture) + ")" + Message + ": ";
}
