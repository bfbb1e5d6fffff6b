using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Pluma.Http.Http2.Hpack;

namespace Pluma.FunctionalTests.Http2;

/// <summary>One frame as it came off the wire.</summary>
internal sealed record H2Frame(int Type, int Flags, int Stream, byte[] Payload);

/// <summary>
/// A raw HTTP/2 client for the conformance cases: it writes any frame, well-formed or not, over
/// cleartext (h2c by prior knowledge) or TLS with ALPN h2, and a reader thread takes every frame
/// the server sends off the socket as it arrives, so a GOAWAY written before a close is read even
/// when the close follows at once. Header blocks it sends are plain literals (no Huffman, no
/// table) unless a case writes its own bytes; the server's blocks are decoded with a decoder of
/// their own to read <c>:status</c>.
/// </summary>
internal sealed class H2RawClient : IDisposable
{
    public const int Data = 0, Headers = 1, Priority = 2, RstStream = 3, Settings = 4, PushPromise = 5, Ping = 6, GoAway = 7, WindowUpdate = 8, Continuation = 9;
    public const int EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, PriorityFlag = 0x20;
    public const int SettingsHeaderTableSize = 1, SettingsEnablePush = 2, SettingsMaxConcurrentStreams = 3, SettingsInitialWindowSize = 4, SettingsMaxFrameSize = 5;

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly byte[] s_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_probe = "pluma-h2"u8.ToArray();

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly BlockingCollection<H2Frame?> _frames = new();
    private readonly Thread _reader;
    private readonly HpackDecoder _decoder = new(4096, 1 << 20);
    private readonly object _writeLock = new();
    private List<byte>? _block;

    private H2RawClient(TcpClient tcp, Stream stream, string scheme, string authority)
    {
        _tcp = tcp;
        _stream = stream;
        Scheme = scheme;
        Authority = authority;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "h2 raw reader" };
        _reader.Start();
    }

    public string Scheme { get; }

    public string Authority { get; }

    /// <summary>The most recent stream id the server's SETTINGS announced as MAX_CONCURRENT_STREAMS (100 unless it said otherwise).</summary>
    public int ServerMaxConcurrentStreams { get; private set; } = 100;

    /// <summary>Every frame read so far (for the cases that look at more than the outcome).</summary>
    public List<H2Frame> Seen { get; } = [];

    public static H2RawClient Cleartext(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        tcp.Connect(System.Net.IPAddress.Loopback, port);
        return new H2RawClient(tcp, tcp.GetStream(), "http", "127.0.0.1:" + port);
    }

    /// <summary>TLS to <paramref name="port"/> with SNI <paramref name="host"/>, trusting the certificates of <paramref name="caFile"/>'s CA.</summary>
    public static H2RawClient Tls(int port, string host, string caFile)
    {
        var tcp = new TcpClient { NoDelay = true };
        tcp.Connect(System.Net.IPAddress.Loopback, port);
        var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => IssuedBy(certificate, caFile));
        ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        });
        if (ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            throw new InvalidOperationException("ALPN did not choose h2 (got '" + ssl.NegotiatedApplicationProtocol + "')");
        }

        return new H2RawClient(tcp, ssl, "https", host + ":" + port);
    }

    /// <summary>The client preface and SETTINGS; waits for the server's SETTINGS and acknowledges them.</summary>
    public void Handshake(params (int Id, int Value)[] settings)
    {
        SendRaw(s_preface);
        SendSettings(settings);
        H2Frame? f = Next(x => x.Type == Settings && (x.Flags & Ack) == 0) ?? throw new InvalidOperationException("no SETTINGS from the server");
        SendFrame(Settings, Ack, 0, []);
        _ = f;
    }

    private static bool IssuedBy(System.Security.Cryptography.X509Certificates.X509Certificate? certificate, string caFile)
    {
        if (certificate is null)
        {
            return false;
        }

        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caFile);
        using var leaf = new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate);
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    public void SendPreface() => SendRaw(s_preface);

    public void SendSettings(params (int Id, int Value)[] settings)
    {
        byte[] payload = new byte[settings.Length * 6];
        for (int i = 0; i < settings.Length; i++)
        {
            payload[i * 6] = (byte)(settings[i].Id >> 8);
            payload[(i * 6) + 1] = (byte)settings[i].Id;
            WriteInt(payload.AsSpan((i * 6) + 2), settings[i].Value);
        }

        SendFrame(Settings, 0, 0, payload);
    }

    public void SendFrame(int type, int flags, int stream, ReadOnlySpan<byte> payload) => SendFrame(type, flags, stream, payload, payload.Length);

    /// <summary>A frame whose header says <paramref name="length"/> (which may differ from the payload's, for the framing cases).</summary>
    public void SendFrame(int type, int flags, int stream, ReadOnlySpan<byte> payload, int length)
    {
        byte[] frame = new byte[9 + payload.Length];
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = (byte)type;
        frame[4] = (byte)flags;
        WriteInt(frame.AsSpan(5), stream);
        payload.CopyTo(frame.AsSpan(9));
        SendRaw(frame);
    }

    public void SendRaw(byte[] bytes)
    {
        lock (_writeLock)
        {
            try
            {
                _stream.Write(bytes);
                _stream.Flush();
            }
            catch (IOException)
            {
                // The server closed first: what it sent before is in the queue.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>The block of a GET for <paramref name="path"/> (the four pseudo-header fields) followed by <paramref name="extra"/>.</summary>
    public byte[] RequestBlock(string path = "/", string method = "GET", params (string Name, string Value)[] extra)
    {
        var fields = new List<(string, string)> { (":method", method), (":scheme", Scheme), (":path", path), (":authority", Authority) };
        fields.AddRange(extra);
        return Block([.. fields]);
    }

    /// <summary>Literal fields without indexing, names and values as they are (no Huffman).</summary>
    public static byte[] Block(params (string Name, string Value)[] fields)
    {
        var b = new List<byte>();
        foreach ((string name, string value) in fields)
        {
            b.Add(0);
            AddString(b, Encoding.Latin1.GetBytes(name));
            AddString(b, Encoding.Latin1.GetBytes(value));
        }

        return [.. b];
    }

    public static void AddString(List<byte> b, byte[] s)
    {
        AddInteger(b, 0, 7, s.Length);
        b.AddRange(s);
    }

    /// <summary>An HPACK integer (RFC 7541 5.1) with <paramref name="prefixBits"/> bits in the first byte after <paramref name="high"/>.</summary>
    public static void AddInteger(List<byte> b, int high, int prefixBits, int value)
    {
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            b.Add((byte)(high | value));
            return;
        }

        b.Add((byte)(high | max));
        value -= max;
        while (value >= 128)
        {
            b.Add((byte)((value & 0x7f) | 0x80));
            value >>= 7;
        }

        b.Add((byte)value);
    }

    public void Get(int stream, string path = "/", bool endStream = true) =>
        SendFrame(Headers, EndHeaders | (endStream ? EndStream : 0), stream, RequestBlock(path));

    public void SendHeaders(int stream, int flags, ReadOnlySpan<byte> block) => SendFrame(Headers, flags, stream, block);

    public void SendData(int stream, int flags, byte[] data) => SendFrame(Data, flags, stream, data);

    public void SendWindowUpdate(int stream, int increment)
    {
        byte[] p = new byte[4];
        WriteInt(p, increment);
        SendFrame(WindowUpdate, 0, stream, p);
    }

    public void SendRst(int stream, int code)
    {
        byte[] p = new byte[4];
        WriteInt(p, code);
        SendFrame(RstStream, 0, stream, p);
    }

    public void SendPriority(int stream, int dependency, int weight = 15)
    {
        byte[] p = new byte[5];
        WriteInt(p, dependency);
        p[4] = (byte)weight;
        SendFrame(Priority, 0, stream, p);
    }

    /// <summary>Waits for the first frame that <paramref name="match"/> accepts (null at close or after <see cref="Patience"/>); the frames before it are decoded and kept in <see cref="Seen"/>.</summary>
    public H2Frame? Next(Func<H2Frame, bool> match)
    {
        DateTime end = DateTime.UtcNow + Patience;
        while (true)
        {
            TimeSpan left = end - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_frames.TryTake(out H2Frame? f, left))
            {
                return null;
            }

            if (f is null)
            {
                _frames.Add(null); // closed stays closed for the next look
                return null;
            }

            Take(f);
            if (match(f))
            {
                return f;
            }
        }
    }

    /// <summary>
    /// Sends a PING and reads what the server answers, until it closes, sends GOAWAY or
    /// RST_STREAM, or acknowledges the PING (and, with <paramref name="stream"/>, has ended that
    /// stream's response too), or <see cref="Patience"/> passes.
    /// </summary>
    public H2Outcome Observe(int? stream)
    {
        SendFrame(Ping, 0, 0, s_probe);
        var o = new H2Outcome();
        DateTime end = DateTime.UtcNow + Patience;
        while (true)
        {
            TimeSpan left = end - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_frames.TryTake(out H2Frame? f, left))
            {
                o.TimedOut = true;
                return Fill(o);
            }

            if (f is null)
            {
                o.Closed = true;
                return Fill(o);
            }

            Take(f);
            switch (f.Type)
            {
                case GoAway when f.Payload.Length >= 8:
                    o.GoAwayLastStream = ReadInt(f.Payload) & 0x7fffffff;
                    o.GoAway = ReadInt(f.Payload.AsSpan(4));
                    return Fill(o);
                case RstStream when f.Payload.Length >= 4 && ReadInt(f.Payload) == 0 && Ended.Contains(f.Stream):
                    // RFC 9113 8.1: a complete response, then "stop sending the request" (NO_ERROR).
                    break;
                case RstStream when f.Payload.Length >= 4:
                    o.Rst = (f.Stream, ReadInt(f.Payload));
                    return Fill(o);
                case Ping when (f.Flags & Ack) != 0 && f.Payload.AsSpan().SequenceEqual(s_probe):
                    o.PingAck = true;
                    break;
            }

            if (o.PingAck && (stream is not int s || Ended.Contains(s)))
            {
                return Fill(o);
            }
        }
    }

    /// <summary>Response status per stream, from the server's header blocks.</summary>
    public Dictionary<int, int> Status { get; } = [];

    /// <summary>Streams whose response ended (END_STREAM).</summary>
    public HashSet<int> Ended { get; } = [];

    /// <summary>DATA bytes received per stream.</summary>
    public Dictionary<int, int> DataBytes { get; } = [];

    public void Dispose()
    {
        try
        {
            _tcp.Client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _stream.Dispose();
        _tcp.Dispose();
        _reader.Join(2000);
        _frames.Dispose();
    }

    public static void WriteInt(Span<byte> to, int value)
    {
        to[0] = (byte)(value >> 24);
        to[1] = (byte)(value >> 16);
        to[2] = (byte)(value >> 8);
        to[3] = (byte)value;
    }

    public static int ReadInt(ReadOnlySpan<byte> from) => (from[0] << 24) | (from[1] << 16) | (from[2] << 8) | from[3];

    private H2Outcome Fill(H2Outcome o)
    {
        foreach (KeyValuePair<int, int> s in Status)
        {
            o.Status[s.Key] = s.Value;
        }

        o.Ended.UnionWith(Ended);
        return o;
    }

    private void Take(H2Frame f)
    {
        Seen.Add(f);
        if (f.Type == Settings && (f.Flags & Ack) == 0)
        {
            for (int i = 0; i + 6 <= f.Payload.Length; i += 6)
            {
                if (((f.Payload[i] << 8) | f.Payload[i + 1]) == SettingsMaxConcurrentStreams)
                {
                    ServerMaxConcurrentStreams = ReadInt(f.Payload.AsSpan(i + 2));
                }
            }
        }

        if (f.Type == Data)
        {
            DataBytes[f.Stream] = DataBytes.GetValueOrDefault(f.Stream) + f.Payload.Length;
        }

        if (f.Type is Headers or Continuation)
        {
            ReadOnlySpan<byte> fragment = f.Payload;
            if (f.Type == Headers)
            {
                int pad = 0;
                if ((f.Flags & Padded) != 0)
                {
                    pad = fragment[0];
                    fragment = fragment[1..];
                }

                if ((f.Flags & PriorityFlag) != 0)
                {
                    fragment = fragment[5..];
                }

                fragment = fragment[..^pad];
                _block = [];
            }

            _block?.AddRange(fragment.ToArray());
            if ((f.Flags & EndHeaders) != 0 && _block is not null)
            {
                var sink = new StatusSink();
                try
                {
                    _decoder.Decode(_block.ToArray(), sink);
                }
                catch (HpackException)
                {
                    sink.Undecodable();
                }

                if (sink.Status is int status && !Status.ContainsKey(f.Stream))
                {
                    Status[f.Stream] = status;
                }

                _block = null;
            }
        }

        if (f.Type is Data or Headers && (f.Flags & EndStream) != 0)
        {
            Ended.Add(f.Stream);
        }
    }

    private void ReadLoop()
    {
        byte[] head = new byte[9];
        try
        {
            while (Fill(head))
            {
                int length = (head[0] << 16) | (head[1] << 8) | head[2];
                if (length > (1 << 20))
                {
                    break; // not a frame (an HTTP/1.1 answer to a bad preface): read as a close
                }

                byte[] payload = new byte[length];
                if (!Fill(payload))
                {
                    break;
                }

                _frames.Add(new H2Frame(head[3], head[4], ReadInt(head.AsSpan(5)) & 0x7fffffff, payload));
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        try
        {
            _frames.Add(null);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    private bool Fill(byte[] buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = _stream.Read(buffer, got, buffer.Length - got);
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private sealed class StatusSink : IHpackHeaderSink
    {
        public int? Status { get; private set; }

        public void Undecodable() => Status = -1;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            if (name.SequenceEqual(":status"u8) && int.TryParse(value, out int s))
            {
                Status = s;
            }
        }
    }
}

/// <summary>What the server answered to one case.</summary>
internal sealed class H2Outcome
{
    public int? GoAway { get; set; }

    public int GoAwayLastStream { get; set; }

    public (int Stream, int Code)? Rst { get; set; }

    public bool Closed { get; set; }

    public bool PingAck { get; set; }

    public bool TimedOut { get; set; }

    public Dictionary<int, int> Status { get; } = [];

    public HashSet<int> Ended { get; } = [];

    public override string ToString()
    {
        var parts = new List<string>();
        foreach (KeyValuePair<int, int> s in Status)
        {
            parts.Add("stream " + s.Key + ": " + s.Value + (Ended.Contains(s.Key) ? "" : " (not ended)"));
        }

        if (Rst is { } r)
        {
            parts.Add("RST_STREAM " + r.Stream + " " + H2Codes.Name(r.Code));
        }

        if (GoAway is int g)
        {
            parts.Add("GOAWAY " + H2Codes.Name(g));
        }

        if (Closed)
        {
            parts.Add("closed");
        }

        if (PingAck)
        {
            parts.Add("PING ACK");
        }

        if (TimedOut)
        {
            parts.Add("timed out");
        }

        return string.Join(", ", parts);
    }
}

/// <summary>RFC 9113 7's error codes.</summary>
internal static class H2Codes
{
    public const int NoError = 0, ProtocolError = 1, InternalError = 2, FlowControlError = 3, SettingsTimeout = 4, StreamClosed = 5,
        FrameSizeError = 6, RefusedStream = 7, Cancel = 8, CompressionError = 9, ConnectError = 0xa, EnhanceYourCalm = 0xb;

    private static readonly string[] s_names =
    [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ];

    public static string Name(int code) => code >= 0 && code < s_names.Length ? s_names[code] : "0x" + code.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
