using System.Buffers;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;

namespace Pluma.Modules.Ssl;

/// <summary>
/// A client connection after the TLS handshake, as the HTTP engine sees it (mod_ssl's I/O
/// filters): reads decrypt, sends encrypt, and files go out in 16 KiB records through a 64 KiB
/// buffer (no sendfile over TLS). Output the client is slow to take is set aside by the TCP
/// connection underneath, so the event MPM's write completion works unchanged.
/// </summary>
public sealed class TlsConnection : Connection, IDisposable
{
    // TLS's largest record payload: the most one read ahead can decrypt.
    private const int RecordPayload = 16 * 1024;

    // One read of a file sent over TLS: four records (SslStream cuts its writes into records),
    // a quarter of the pread(2) calls of one read per record.
    private const int FileChunk = 64 * 1024;

    private readonly Connection _inner;
    private readonly SslStream _ssl;
    private readonly ConnectionStream _stream;
    private byte[]? _ahead;
    private int _aheadPos;
    private int _aheadEnd;

    // The last read filled the caller's buffer, so SslStream may hold more of that record decrypted.
    private bool _decryptedMayRemain;

    internal TlsConnection(Connection inner, SslStream ssl, ConnectionStream stream, VirtualServerChoice sni, SslSite site)
    {
        Site = site;
        _inner = inner;
        _ssl = ssl;
        _stream = stream;
        Sni = sni;
    }

    /// <summary>The SslStream (protocol, cipher, certificates, SNI).</summary>
    public SslStream Ssl => _ssl;

    /// <summary>The server the handshake chose by SNI, and the name the client sent (null without SNI).</summary>
    public VirtualServerChoice Sni { get; }

    /// <summary>The server whose SSL settings the handshake used.</summary>
    public SslSite Site { get; }

    /// <inheritdoc/>
    public override bool IsSecure => true;

    /// <inheritdoc/>
    public override string? ApplicationProtocol => _ssl.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2 ? "h2" : null;

    /// <inheritdoc/>
    public override bool HasPendingOutput => _inner.HasPendingOutput;

    /// <summary>Whether an idle keep-alive wait may start: nothing decrypted or read ahead waits in user space.</summary>
    internal bool HasBufferedInput => _aheadPos < _aheadEnd;

    public override bool HoldsPartialInput => _stream.InsideRecord;

    public override int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        if (TakeAhead(buffer) is int n and > 0)
        {
            return n;
        }

        _stream.ReceiveTimeout = timeout;
        try
        {
            return Decrypted(_ssl.Read(buffer), buffer);
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
    }

    private int Decrypted(int n, Span<byte> buffer)
    {
        _decryptedMayRemain = n == buffer.Length;
        return n;
    }

    public override int ReceiveIfReady(Span<byte> buffer, TimeSpan timeout)
    {
        if (TakeAhead(buffer) is int n and > 0)
        {
            return n;
        }

        _stream.ReceiveTimeout = timeout;
        if (!_decryptedMayRemain)
        {
            // SslStream holds nothing decrypted and no whole record (ConnectionStream): read the
            // socket first, so that finding nothing costs no exception thrown through SslStream.
            int got = _stream.Fill(timeout);
            if (got <= 0)
            {
                return got;
            }
        }

        _stream.NonBlocking = true;
        try
        {
            return Decrypted(_ssl.Read(buffer), buffer);
        }
        catch (WouldBlockException)
        {
            return -1;
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
        finally
        {
            _stream.NonBlocking = false;
        }
    }

    /// <summary>
    /// Before an idle wait: decrypts whatever SslStream or ConnectionStream already holds (a
    /// pipelined request read with the last one, where no poll(2) can see it). True when some
    /// input is now read ahead; false when the connection may wait on its socket.
    /// </summary>
    internal bool ReadAhead()
    {
        if (HasBufferedInput)
        {
            return true;
        }

        if (!_decryptedMayRemain && !_stream.HasRawInput)
        {
            // Nothing decrypted or read waits in user space: what else the client sent is in the
            // kernel, where the MPM's wait sees it (one read of the socket here to save the park
            // found nothing nearly every time under wrk: bench/README.md).
            return false;
        }

        _ahead ??= ArrayPool<byte>.Shared.Rent(RecordPayload);
        int n = ReceiveIfReady(_ahead, _stream.ReceiveTimeout);
        if (n <= 0)
        {
            ReturnAhead();
            return n == 0;
        }

        _aheadPos = 0;
        _aheadEnd = n;
        return true;
    }

    private int TakeAhead(Span<byte> buffer)
    {
        if (_aheadPos >= _aheadEnd || _ahead is null)
        {
            return 0;
        }

        int n = Math.Min(buffer.Length, _aheadEnd - _aheadPos);
        _ahead.AsSpan(_aheadPos, n).CopyTo(buffer);
        _aheadPos += n;
        if (_aheadPos >= _aheadEnd)
        {
            ReturnAhead();
        }

        return n;
    }

    private void ReturnAhead()
    {
        if (_ahead is not null)
        {
            ArrayPool<byte>.Shared.Return(_ahead);
            _ahead = null;
        }

        _aheadPos = _aheadEnd = 0;
    }

    public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        _stream.SendTimeout = timeout;
        try
        {
            _ssl.Write(data);
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
    }

    // TLS has no sendfile: SendFile already reads the file and encrypts it, whatever EnableSendfile says.
    public override void CopyFile(SafeFileHandle file, long offset, long count, TimeSpan timeout) => SendFile(file, offset, count, timeout);

    public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(FileChunk);
        try
        {
            long end = offset + count;
            while (offset < end)
            {
                int want = (int)Math.Min(FileChunk, end - offset);
                int n = RandomAccess.Read(file, chunk.AsSpan(0, want), offset);
                if (n <= 0)
                {
                    throw new ConnectionResetException("read: the file is shorter than announced");
                }

                // The array itself: SslStream has no Write(ReadOnlySpan) of its own, and Stream's copies it into a rented array first.
                _stream.SendTimeout = timeout;
                try
                {
                    _ssl.Write(chunk, 0, n);
                }
                catch (IOException e)
                {
                    throw Translate(e);
                }

                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Over HTTP/1.1 output is held in user space anyway (ConnectionStream.HoldOutput): a head
    /// and its body's first records leave together, without TCP_CORK's system calls; uncorking
    /// sends them. HTTP/2 (no holding) corks the socket as before.
    /// </summary>
    public override void Cork(bool on)
    {
        if (!_stream.HoldOutput)
        {
            _inner.Cork(on);
        }
        else if (!on)
        {
            SendHeldOutput();
        }
    }

    public override void Flush()
    {
        SendHeldOutput();
        _inner.Flush();
    }

    /// <summary>Sends what ConnectionStream holds: before the connection waits for its client, and on the engine's flush.</summary>
    internal void SendHeldOutput()
    {
        try
        {
            _stream.SendHeld();
        }
        catch (IOException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>Sends close_notify (ssl_filter_io_shutdown), never waiting for the client's.</summary>
    internal void SendCloseNotify()
    {
        try
        {
            // Alone, close_notify gets a second; sent with a held response it keeps the
            // response's timeout (Apache's Timeout), so a slow client still gets the response.
            if (!_stream.HasHeldOutput)
            {
                _stream.Timeout = TimeSpan.FromSeconds(1);
            }

            _ssl.ShutdownAsync().GetAwaiter().GetResult();
            _stream.SendHeld();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionResetException or ConnectionTimeoutException or AuthenticationException)
        {
            // The client is gone: nothing to tell it.
        }
    }

    public void Dispose()
    {
        ReturnAhead();
        IDisposable? state = ProtocolState;
        ProtocolState = null;
        state?.Dispose();
        _ssl.Dispose();
        _stream.ReleaseRaw();
        _stream.ReleaseHeld();
    }

    /// <summary>SslStream wraps the socket's timeout and reset in IOException; the engine wants them as they were.</summary>
    private static Exception Translate(IOException e) => e.InnerException switch
    {
        ConnectionTimeoutException t => t,
        ConnectionResetException r => r,
        _ => new ConnectionResetException("TLS: " + e.Message),
    };
}
