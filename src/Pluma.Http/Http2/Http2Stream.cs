using System.Buffers;
using System.Globalization;

namespace Pluma.Http.Http2;

/// <summary>
/// One client stream (RFC 9113 5.1) from open to closed: its flow-control windows, and the bytes
/// the HTTP/1.1 engine reads for it (the request head, then the body as DATA frames bring it,
/// chunk-framed when the request has no content-length). The input is bounded by the window the
/// stream was granted: the client cannot send more until the engine has read it.
/// </summary>
internal sealed class Http2Stream : IDisposable
{
    private byte[] _input;
    private int _start;
    private int _end;

    public Http2Stream(int id, byte[] head, int headLength, long contentLength, bool endStream, bool isHead, int sendWindow, int receiveWindow)
    {
        Id = id;
        _input = head;
        _end = headLength;
        ContentLength = contentLength;
        Chunked = !endStream && contentLength < 0;
        RemoteClosed = endStream;
        IsHead = isHead;
        SendWindow = sendWindow;
        ReceiveWindow = receiveWindow;
    }

    public int Id { get; }

    /// <summary>"METHOD path" of the request, for the connection's line in server-status.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The request's content-length, or -1 (8.1.1: DATA must add up to it).</summary>
    public long ContentLength { get; }

    public long DataReceived { get; set; }

    public bool Chunked { get; }

    public bool IsHead { get; }

    /// <summary>END_STREAM received: half-closed (remote).</summary>
    public bool RemoteClosed { get; private set; }

    /// <summary>END_STREAM sent: the response is complete.</summary>
    public bool LocalClosed { get; set; }

    /// <summary>Taken by a thread that serves it: that thread disposes it, never the frame handler.</summary>
    public bool Serving { get; set; }

    /// <summary>RST_STREAM sent or received: nothing more is read or written.</summary>
    public bool Reset { get; set; }

    /// <summary>How much the client may still receive on this stream (6.9).</summary>
    public long SendWindow { get; set; }

    /// <summary>How much the client may still send on this stream.</summary>
    public long ReceiveWindow { get; set; }

    /// <summary>Body bytes the engine has read but not yet credited back with WINDOW_UPDATE.</summary>
    public int Unacknowledged { get; set; }

    public int Available => _end - _start;

    /// <summary>All input read and nothing more will come.</summary>
    public bool InputComplete => RemoteClosed && _start == _end;

    /// <summary>"METHOD path" from a request head the engine will read ("METHOD path HTTP/1.1\r\n...").</summary>
    public static string SummaryOf(ReadOnlySpan<byte> head)
    {
        int end = head.IndexOf((byte)'\r');
        ReadOnlySpan<byte> line = end < 0 ? head : head[..end];
        if (line.EndsWith(" HTTP/1.1"u8))
        {
            line = line[..^9];
        }

        return System.Text.Encoding.Latin1.GetString(line[..Math.Min(line.Length, 200)]);
    }

    /// <summary>Appends DATA content (chunk-framed when <see cref="Chunked"/>).</summary>
    public void AddData(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (!Chunked)
        {
            Append(data);
            return;
        }

        Span<byte> size = stackalloc byte[10];
        data.Length.TryFormat(size, out int n, "x", CultureInfo.InvariantCulture);
        Append(size[..n]);
        Append("\r\n"u8);
        Append(data);
        Append("\r\n"u8);
    }

    /// <summary>END_STREAM: ends the chunked body with its trailer lines.</summary>
    public void End(ReadOnlySpan<byte> trailerLines)
    {
        if (Chunked)
        {
            Append("0\r\n"u8);
            Append(trailerLines);
            Append("\r\n"u8);
        }

        RemoteClosed = true;
    }

    /// <summary>Takes input into <paramref name="destination"/>; returns the count.</summary>
    public int Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _end - _start);
        _input.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return n;
    }

    public void Dispose()
    {
        if (_input.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_input);
            _input = [];
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_end + data.Length > _input.Length)
        {
            int live = _end - _start;
            if (live + data.Length <= _input.Length)
            {
                _input.AsSpan(_start, live).CopyTo(_input);
            }
            else
            {
                byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(live + data.Length, _input.Length * 2));
                _input.AsSpan(_start, live).CopyTo(bigger);
                if (_input.Length != 0)
                {
                    ArrayPool<byte>.Shared.Return(_input);
                }

                _input = bigger;
            }

            _start = 0;
            _end = live;
        }

        data.CopyTo(_input.AsSpan(_end));
        _end += data.Length;
    }
}
