using System.IO;
using System.Buffers;
using System.Threading;
using Pluma.Connections;
using Pluma.Http.Http2.Hpack;

namespace Pluma.Http.Http2;

/// <summary>Streams: opening them from header blocks, serving them, closing and resetting them.</summary>
public sealed partial class Http2Connection
{
    private void CompleteBlock()
    {
        int id = _blockStream;
        bool endStream = _blockEndStream;
        _blockStream = 0;
        ReadOnlySpan<byte> block = _block.AsSpan(0, _blockLength);
        if (_blockDiscard)
        {
            // Trailers of a stream already answered and reset: decoded only to keep HPACK in step.
            _blockDiscard = false;
            _requestHead.Begin(trailer: true);
            try
            {
                _decoder.Decode(block, _requestHead);
            }
            catch (HpackException e) when (e.IsListTooLarge)
            {
                // Too long for trailers we would drop anyway: the table is still in step.
            }
            catch (HpackException e)
            {
                throw new Http2ConnectionException(Http2ErrorCode.CompressionError, "HPACK: " + e.Message);
            }

            return;
        }

        bool listTooLarge = false;
        _streams.TryGetValue(id, out Http2Stream? open);
        _requestHead.Begin(trailer: open is not null);
        try
        {
            _decoder.Decode(block, _requestHead);
        }
        catch (HpackException e) when (e.IsListTooLarge)
        {
            listTooLarge = true;
        }
        catch (HpackException e)
        {
            throw new Http2ConnectionException(Http2ErrorCode.CompressionError, "HPACK: " + e.Message);
        }

        if (open is not null)
        {
            // Trailers (8.1): END_STREAM required; after END_STREAM a stream is half-closed.
            if (open.RemoteClosed)
            {
                ResetStream(open, Http2ErrorCode.StreamClosed);
            }
            else if (!endStream || _requestHead.Error is not null || listTooLarge)
            {
                ResetStream(open, Http2ErrorCode.ProtocolError);
            }
            else if (open.ContentLength >= 0 && open.DataReceived != open.ContentLength)
            {
                ResetStream(open, Http2ErrorCode.ProtocolError);
            }
            else
            {
                open.End(_requestHead.TrailerLines);
            }

            return;
        }

        OpenedStream(id);
        if (_goAwaySent)
        {
            return; // above the last stream GOAWAY announced: ignored (6.8)
        }

        if (_streams.Count >= _options.MaxConcurrentStreams)
        {
            SendRstStream(id, Http2ErrorCode.RefusedStream); // 5.1.2
            return;
        }

        if (listTooLarge)
        {
            // 431 as mod_http2 answers a header list over its limit (RFC 6585 5).
            var refused = new Http2Stream(id, [], 0, -1, endStream: true, isHead: false, _peerInitialWindow, _options.InitialWindowSize);
            Span<byte> status = stackalloc byte[8];
            int n = HpackEncoder.EncodeStatus(431, status);
            WriteHeaders(refused, status[..n], endStream: true);
            if (!endStream)
            {
                SendRstStream(id, Http2ErrorCode.NoError);
                RememberClosedEarly(id);
            }

            return;
        }

        if (!_requestHead.TryWriteRequest(!endStream, out byte[] head, out int headLength))
        {
            Log(Pluma.Connections.Diagnostics.LogLevel.Debug, "PL00503: HTTP/2 stream " + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + " malformed: " + _requestHead.Error);
            SendRstStream(id, Http2ErrorCode.ProtocolError); // 8.1.1
            return;
        }

        var stream = new Http2Stream(id, head, headLength, _requestHead.ContentLength, endStream, _requestHead.IsHead, _peerInitialWindow, _options.InitialWindowSize)
        {
            Summary = Http2Stream.SummaryOf(head.AsSpan(0, headLength)),
        };
        if (endStream && stream.ContentLength > 0)
        {
            stream.Dispose();
            SendRstStream(id, Http2ErrorCode.ProtocolError); // content-length without DATA (8.1.1)
            return;
        }

        _streams.Add(id, stream);
        _ready.Enqueue(stream);
    }

    /// <summary>
    /// Serves one stream through the HTTP/1.1 engine, on a worker or on the reader, reporting to
    /// <paramref name="status"/> (the scoreboard slot of the thread that serves it).
    /// </summary>
    private void ServeStream(Http2Stream stream, IWorkerStatus status)
    {
        if (stream.Reset)
        {
            stream.Dispose();
            return;
        }

        var translator = new Http2ResponseTranslator(this, stream);
        var connection = new Http2StreamConnection(this, stream, translator)
        {
            Id = _transport.Id,
            RemoteEndPoint = _transport.RemoteEndPoint,
            PeerEndPoint = _transport.PeerEndPoint,
            LocalEndPoint = _transport.LocalEndPoint,
            Status = status,
        };
        try
        {
            _handler.Serve(connection);
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            // The stream was reset or the connection failed: settled below.
        }
        finally
        {
            translator.Dispose();
            connection.ProtocolState?.Dispose();
        }

        lock (_sync)
        {
            if (_fatal is null && !_closed && !stream.Reset)
            {
                FinishStream(stream, translator);
            }

            _streams.Remove(stream.Id);
            _completed++;
            stream.Dispose();
        }

        Flush();
    }

    /// <summary>Under <see cref="_sync"/>: ends the stream's response, or resets a response cut short.</summary>
    private void FinishStream(Http2Stream stream, Http2ResponseTranslator translator)
    {
        if (!stream.LocalClosed)
        {
            if (translator.HeadSent && translator.EndsAtClose)
            {
                AppendData(stream, default, endStream: true);
            }
            else
            {
                ResetStream(stream, Http2ErrorCode.InternalError);
                return;
            }
        }

        if (!stream.RemoteClosed)
        {
            // The response is complete before the request body: stop the client sending (8.1).
            SendRstStream(stream.Id, Http2ErrorCode.NoError);
            RememberClosedEarly(stream.Id);
        }
    }

    /// <summary>
    /// Reads the stream's input for its engine: a worker waits until the reader brings some; the
    /// reader, serving the stream itself, handles frames until some arrives.
    /// </summary>
    internal int ReadStream(Http2Stream stream, Span<byte> buffer, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            int got = TakeInput(stream, buffer, deadline);
            if (got >= 0)
            {
                Flush(); // the WINDOW_UPDATE that credits what was taken, if any
                return got;
            }

            // The reader serves this stream itself: it brings the input.
            Flush();
            Pump(timeout);
        }
    }

    /// <summary>
    /// Takes what the stream has (0 at its end); a worker waits for the reader to bring some;
    /// -1 when the caller is the reader and must read frames itself.
    /// </summary>
    private int TakeInput(Http2Stream stream, Span<byte> buffer, long deadline)
    {
        lock (_sync)
        {
            while (true)
            {
                if (stream.Reset || _closed)
                {
                    throw new ConnectionResetException("HTTP/2 stream reset");
                }

                if (stream.Available > 0)
                {
                    int n = stream.Read(buffer);
                    if (stream.Chunked || stream.ContentLength >= 0)
                    {
                        CreditStream(stream, n);
                    }

                    return n;
                }

                if (stream.RemoteClosed)
                {
                    return 0;
                }

                if (OnReader)
                {
                    return -1;
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    throw new ConnectionTimeoutException("HTTP/2 stream: no input in time");
                }

                Monitor.Wait(_sync, (int)Math.Min(left, int.MaxValue));
            }
        }
    }

    // Body bytes read (framing bytes are a slight over-credit, bounded by one window): the
    // client may send as much again (6.9).
    private void CreditStream(Http2Stream stream, int n)
    {
        if (stream.RemoteClosed)
        {
            return;
        }

        stream.Unacknowledged += n;
        long granted = stream.ReceiveWindow + stream.Unacknowledged;
        if (stream.Unacknowledged >= _options.InitialWindowSize / 2 || stream.Available == 0)
        {
            int increment = (int)Math.Min(stream.Unacknowledged, _options.InitialWindowSize - stream.ReceiveWindow);
            stream.Unacknowledged = 0;
            if (increment > 0 && granted > 0)
            {
                Reserve(13);
                _outLength += Http2FrameWriter.WriteWindowUpdate(_out.AsSpan(_outLength), stream.Id, increment);
                stream.ReceiveWindow += increment;
            }
        }
    }

    private void ResetStream(Http2Stream stream, Http2ErrorCode error)
    {
        stream.Reset = true;
        _streams.Remove(stream.Id);
        SendRstStream(stream.Id, error);
        if (!stream.Serving)
        {
            stream.Dispose();
        }
    }

    private void SendRstStream(int streamId, Http2ErrorCode error)
    {
        Reserve(13);
        _outLength += Http2FrameWriter.WriteRstStream(_out.AsSpan(_outLength), streamId, error);
    }

    /// <summary>Under <see cref="_sync"/>: GOAWAY naming the last stream taken (6.8).</summary>
    private void QueueGoAway(Http2ErrorCode error)
    {
        _goAwaySent = true;
        Reserve(17);
        _outLength += Http2FrameWriter.WriteGoAway(_out.AsSpan(_outLength), _lastStreamId, error);
    }

    private void TrySendGoAway(Http2ErrorCode error)
    {
        try
        {
            lock (_sync)
            {
                if (_out.Length == 0)
                {
                    return;
                }

                QueueGoAway(error);
            }

            Flush();
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionTimeoutException or IOException)
        {
            // The client is gone: nothing to tell it.
        }
    }
}
