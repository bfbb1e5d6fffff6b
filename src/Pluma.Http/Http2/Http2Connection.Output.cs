using System.Buffers;
using System.Threading;
using Pluma.Connections;

namespace Pluma.Http.Http2;

/// <summary>
/// Output: every thread appends frames to one buffer under <see cref="_sync"/>, and one thread
/// at a time sends it (<see cref="Flush"/>); DATA is cut to the peer's frame size and held to the
/// stream and connection windows (6.9).
/// </summary>
public sealed partial class Http2Connection
{
    /// <summary>Under <see cref="_sync"/>: room for <paramref name="count"/> more bytes (the buffer grows; senders keep it small).</summary>
    private void Reserve(int count)
    {
        if (_outLength + count > _out.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_outLength + count, _out.Length * 2));
            _out.AsSpan(0, _outLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_out);
            _out = bigger;
        }
    }

    /// <summary>
    /// Sends what the buffer holds. One thread sends at a time and takes whatever others added
    /// meanwhile before it stops, so the reader never waits for a send that another thread is
    /// making (it goes back to reading frames, which may be what that send waits for); a
    /// worker waits, so its frames are out before its stream goes on. Never called under
    /// <see cref="_sync"/>.
    /// </summary>
    internal void Flush()
    {
        lock (_sync)
        {
            while (true)
            {
                if (_closed)
                {
                    _outLength = 0;
                    return;
                }

                if (_outLength == 0)
                {
                    return;
                }

                if (!_sendBusy)
                {
                    break;
                }

                if (OnReader)
                {
                    return;
                }

                Monitor.Wait(_sync);
            }

            _sendBusy = true;
        }

        bool sent = false;
        try
        {
            while (true)
            {
                int n;
                lock (_sync)
                {
                    if (_outLength == 0 || _closed)
                    {
                        sent = true;
                        return;
                    }

                    (_out, _sending) = (_sending, _out);
                    n = _outLength;
                    _outLength = 0;
                }

                _transport.Send(_sending.AsSpan(0, n), _timeout);
            }
        }
        finally
        {
            lock (_sync)
            {
                _sendBusy = false;
                if (!sent)
                {
                    // The send failed: the connection is gone, nothing more will be said on it.
                    _closed = true;
                }

                Monitor.PulseAll(_sync);
            }
        }
    }

    /// <summary>HEADERS, and CONTINUATION frames when the block is larger than a frame (4.3).</summary>
    internal void WriteHeaders(Http2Stream stream, ReadOnlySpan<byte> block, bool endStream)
    {
        lock (_sync)
        {
            if (stream.Reset || _closed)
            {
                throw new ConnectionResetException("HTTP/2 stream reset");
            }

            int max = _peerMaxFrameSize;
            Http2FrameType type = Http2FrameType.Headers;
            do
            {
                int n = Math.Min(block.Length, max);
                byte flags = (byte)((n == block.Length ? Http2Flags.EndHeaders : 0) | (endStream && type == Http2FrameType.Headers ? Http2Flags.EndStream : 0));
                Reserve(Http2FrameHeader.Size + n);
                new Http2FrameHeader(n, type, flags, stream.Id).Write(_out.AsSpan(_outLength));
                block[..n].CopyTo(_out.AsSpan(_outLength + Http2FrameHeader.Size));
                _outLength += Http2FrameHeader.Size + n;
                block = block[n..];
                type = Http2FrameType.Continuation;
            }
            while (!block.IsEmpty);

            if (endStream)
            {
                stream.LocalClosed = true;
            }
        }
    }

    /// <summary>
    /// DATA within the windows. While a window is closed a worker waits for the reader to
    /// bring WINDOW_UPDATE; the reader, serving the stream itself, handles frames.
    /// </summary>
    internal void WriteData(Http2Stream stream, ReadOnlySpan<byte> data, bool endStream)
    {
        long deadline = Environment.TickCount64 + (long)_timeout.TotalMilliseconds;
        while (true)
        {
            bool blocked;
            lock (_sync)
            {
                int before = data.Length;
                data = data[AppendData(stream, data, endStream)..];
                blocked = !stream.LocalClosed && !data.IsEmpty;
                if (blocked && !OnReader && data.Length == before && _outLength == 0)
                {
                    // Nothing went out and nothing waits to: wait for window.
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0)
                    {
                        throw new ConnectionTimeoutException("HTTP/2 stream: no window in time");
                    }

                    Monitor.Wait(_sync, (int)Math.Min(left, int.MaxValue));
                    continue;
                }
            }

            if (!blocked)
            {
                if (_outLength >= OutputSize)
                {
                    Flush();
                }

                return;
            }

            Flush();
            if (OnReader)
            {
                lock (_sync)
                {
                    if (Math.Min(stream.SendWindow, _connectionSendWindow) > 0 || stream.Reset || _closed)
                    {
                        continue;
                    }
                }

                Pump(_timeout);
            }
        }
    }

    /// <summary>
    /// Under <see cref="_sync"/>: appends as much of <paramref name="data"/> as the windows allow,
    /// with END_STREAM on the last frame when <paramref name="endStream"/>; returns the bytes taken.
    /// </summary>
    private int AppendData(Http2Stream stream, ReadOnlySpan<byte> data, bool endStream)
    {
        if (stream.Reset || _closed)
        {
            throw new ConnectionResetException("HTTP/2 stream reset");
        }

        int taken = 0;
        do
        {
            int n = 0;
            if (!data.IsEmpty)
            {
                long window = Math.Min(stream.SendWindow, _connectionSendWindow);
                if (window <= 0)
                {
                    return taken;
                }

                n = (int)Math.Min(Math.Min(data.Length, window), _peerMaxFrameSize);
            }

            bool last = endStream && n == data.Length;
            Reserve(Http2FrameHeader.Size + n);
            new Http2FrameHeader(n, Http2FrameType.Data, last ? Http2Flags.EndStream : (byte)0, stream.Id).Write(_out.AsSpan(_outLength));
            data[..n].CopyTo(_out.AsSpan(_outLength + Http2FrameHeader.Size));
            _outLength += Http2FrameHeader.Size + n;
            stream.SendWindow -= n;
            _connectionSendWindow -= n;
            data = data[n..];
            taken += n;
            if (last)
            {
                stream.LocalClosed = true;
                return taken;
            }
        }
        while (!data.IsEmpty);

        return taken;
    }
}
