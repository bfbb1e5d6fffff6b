using System.Linq;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Pluma.Http.Http2;
using Pluma.Http.Http2.Hpack;

namespace Pluma.Http.Tests.Http2;

/// <summary>
/// A raw HTTP/2 client for frames no well-behaved client sends. A reader thread takes the
/// server's frames off the socket as they arrive, so what the server wrote before it closed (a
/// GOAWAY, then the close) is read even when the close comes first to a later send: a send to a
/// closed connection is not an error here, and a close that resets the connection cannot discard
/// frames still waiting in the socket.
/// </summary>
internal sealed class H2RawClient : IDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly System.Collections.Concurrent.BlockingCollection<(Http2FrameHeader Header, byte[] Payload)?> _frames = new();
    private readonly System.Threading.Thread _reader;

    public H2RawClient(int port, bool preface = true)
    {
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _reader = new System.Threading.Thread(ReadLoop) { IsBackground = true, Name = "h2 test reader" };
        _reader.Start();
        if (preface)
        {
            _socket.Send(Http2FrameWriter.ClientPreface);
            Frame(Http2FrameType.Settings, 0, 0, []);
        }
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _socket.Send(bytes);
        }
        catch (SocketException)
        {
            // The server closed first: what it sent before is in the queue.
        }
    }

    public void Frame(Http2FrameType type, byte flags, int stream, ReadOnlySpan<byte> payload) =>
        Send(FrameBytes(type, flags, stream, payload));

    /// <summary>One frame's bytes, for a test that sends many frames in one write.</summary>
    public static byte[] FrameBytes(Http2FrameType type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[9 + payload.Length];
        new Http2FrameHeader(payload.Length, type, flags, stream).Write(frame);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A request header block: GET / with the extra fields given (raw, no Huffman).</summary>
    public static byte[] Block(string method = "GET", params (string Name, string Value)[] extra)
    {
        byte[] block = new byte[4096];
        int n = 0;
        foreach ((string name, string value) in new[] { (":method", method), (":scheme", "http"), (":path", "/"), (":authority", "localhost") }.Concat(extra))
        {
            block[n++] = 0x00;
            n += Literal(name, block.AsSpan(n));
            n += Literal(value, block.AsSpan(n));
        }

        return block[..n];
    }

    private static int Literal(string s, Span<byte> destination)
    {
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(s);
        destination[0] = (byte)bytes.Length; // short strings only
        bytes.CopyTo(destination[1..]);
        return 1 + bytes.Length;
    }

    /// <summary>The next frame, or null when the server closed (or sent nothing for 10 s).</summary>
    public (Http2FrameHeader Header, byte[] Payload)? Read()
    {
        if (!_frames.TryTake(out var frame, s_patience) || frame is null)
        {
            _frames.Add(null); // closed stays closed
            return null;
        }

        return frame;
    }

    /// <summary>Frames until one of <paramref name="type"/> (returned), or null at close.</summary>
    public (Http2FrameHeader Header, byte[] Payload)? ReadUntil(Http2FrameType type, List<Http2FrameHeader>? seen = null)
    {
        while (Read() is { } frame)
        {
            seen?.Add(frame.Header);
            if (frame.Header.Type == type)
            {
                return frame;
            }
        }

        return null;
    }

    public static uint ErrorCode(byte[] payload, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset));

    public List<(string, string)> DecodeHeaders(byte[] block, HpackDecoder decoder)
    {
        var sink = new HpackAppendixCTests.ListSink();
        decoder.Decode(block, sink);
        return sink.Fields;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _reader.Join(2000);
    }

    private void ReadLoop()
    {
        byte[] head = new byte[9];
        while (Fill(head))
        {
            Http2FrameHeader header = Http2FrameHeader.Read(head);
            byte[] payload = new byte[header.Length];
            if (!Fill(payload))
            {
                break;
            }

            _frames.Add((header, payload));
        }

        _frames.Add(null);
    }

    private bool Fill(byte[] buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }
}
