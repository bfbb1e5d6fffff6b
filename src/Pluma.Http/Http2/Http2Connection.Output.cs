using Pluma.Connections;

namespace Pluma.Http.Http2;

/// <summary>
/// Output: frames are gathered in one buffer and sent when it fills or the engine waits; DATA
/// is cut to the peer's frame size and held to the stream and connection windows (6.9).
/// </summary>
public sealed partial class Http2Connection
{
    private void Reserve(int count)
    {
        if (_outLength + count > _out.Length)
        {
            Flush();
        }
    }

    internal void Flush()
    {
        if (_outLength > 0)
        {
            int n = _outLength;
            _outLength = 0;
            _transport.Send(_out.AsSpan(0, n), _timeout);
        }
    }

    /// <summary>HEADERS, and CONTINUATION frames when the block is larger than a frame (4.3).</summary>
    internal void WriteHeaders(Http2Stream stream, ReadOnlySpan<byte> block, bool endStream)
    {
        int max = Math.Min(_peerMaxFrameSize, _out.Length - Http2FrameHeader.Size);
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

    /// <summary>DATA within the windows; waits (handling frames) while a window is closed.</summary>
    internal void WriteData(Http2Stream stream, ReadOnlySpan<byte> data, bool endStream)
    {
        do
        {
            if (stream.Reset)
            {
                throw new ConnectionResetException("HTTP/2 stream reset");
            }

            int n = 0;
            if (!data.IsEmpty)
            {
                long window = Math.Min(stream.SendWindow, _connectionSendWindow);
                if (window <= 0)
                {
                    Flush();
                    Pump(_timeout);
                    continue;
                }

                n = (int)Math.Min(Math.Min(data.Length, window), Math.Min(_peerMaxFrameSize, _out.Length - Http2FrameHeader.Size));
            }

            bool last = endStream && n == data.Length;
            Reserve(Http2FrameHeader.Size + n);
            new Http2FrameHeader(n, Http2FrameType.Data, last ? Http2Flags.EndStream : (byte)0, stream.Id).Write(_out.AsSpan(_outLength));
            data[..n].CopyTo(_out.AsSpan(_outLength + Http2FrameHeader.Size));
            _outLength += Http2FrameHeader.Size + n;
            stream.SendWindow -= n;
            _connectionSendWindow -= n;
            data = data[n..];
            if (last)
            {
                stream.LocalClosed = true;
                return;
            }
        }
        while (!data.IsEmpty);
    }
}
