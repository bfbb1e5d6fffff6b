using System.Buffers;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Deflate;

/// <summary>
/// The DEFLATE output filter (mod_deflate.c deflate_out_filter): decides at the first body bytes
/// whether to compress, as Apache does, then gzips the body through a pooled buffer of
/// DeflateBufferSize bytes. A compressed body that fits the buffer leaves with a Content-Length;
/// a larger one is passed on as the buffer fills, so it is chunked (as Apache's). Pooled per
/// thread; the only allocation per compressed response is .NET's compressor (GZipStream).
/// </summary>
internal sealed class DeflateOutputFilter : OutputFilter
{
    /// <summary>gzip's 10-byte header + 8-byte trailer + 50 for the fields Apache adds: smaller bodies are sent as they are.</summary>
    internal const int SmallResponse = 10 + 8 + 50;

    private const int GzipFraming = 18;

    [ThreadStatic]
    private static DeflateOutputFilter? t_spare;

    private readonly byte[] _probe = new byte[SmallResponse + 1];
    private readonly CompressedSink _sink;
    private RequestRecord? _request;
    private DeflateServerConfig _config = new();
    private State _state;
    private int _probeLength;
    private GZipStream? _gzip;
    private byte[]? _out;
    private int _outLength;
    private long _in;
    private long _compressed;

    private DeflateOutputFilter()
    {
        _sink = new CompressedSink(this);
    }

    private enum State
    {
        Undecided,
        PassThrough,
        Compressing,
        Discarding,
    }

    public static DeflateOutputFilter Take(RequestRecord r, DeflateServerConfig config)
    {
        DeflateOutputFilter f = t_spare ?? new DeflateOutputFilter();
        t_spare = null;
        f._request = r;
        f._config = config;
        f._state = State.Undecided;
        f._probeLength = 0;
        f._outLength = 0;
        f._in = 0;
        f._compressed = 0;
        return f;
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        switch (_state)
        {
            case State.Compressing:
                _in += data.Length;
                _gzip!.Write(data);
                return;
            case State.PassThrough:
                Pass(data);
                return;
            case State.Discarding:
                return;
        }

        // Undecided: hold the first bytes until there are more than a small response's worth.
        int take = Math.Min(data.Length, _probe.Length - _probeLength);
        data[..take].CopyTo(_probe.AsSpan(_probeLength));
        _probeLength += take;
        if (_probeLength <= SmallResponse)
        {
            return;
        }

        Decide();
        ReleaseProbe();
        Write(data[take..]);
    }

    /// <summary>
    /// A file body: more than a small response's worth decides at once (deflate_out_filter's
    /// checks); a response left uncompressed lets the file bypass the filter (sendfile).
    /// </summary>
    public override bool TakesFile(long count)
    {
        if (_state == State.Undecided && _probeLength == 0 && count > SmallResponse)
        {
            Decide();
            ReleaseProbe();
        }

        return _state != State.PassThrough;
    }

    public override void Flush()
    {
        if (_state == State.Undecided)
        {
            // Apache skips its small-response test when the first brigade has no end of stream.
            Decide();
            ReleaseProbe();
        }

        if (_state == State.Compressing)
        {
            _gzip!.Flush(); // Z_SYNC_FLUSH, as Apache's FLUSH bucket
            PassCompressed();
        }

        if (_state != State.Discarding)
        {
            PassFlush();
        }
    }

    public override void End()
    {
        if (_state == State.Undecided)
        {
            // The whole body is here and it is small: "Not compressing very small response".
            _state = State.PassThrough;
            ReleaseProbe();
        }

        if (_state == State.Compressing)
        {
            _gzip!.Dispose(); // Z_FINISH, CRC and length
            _gzip = null;
            PassCompressed();
            LeaveNotes();
        }

        PassEnd();
    }

    protected override void Detached()
    {
        _gzip?.Dispose();
        _gzip = null;
        if (_out is not null)
        {
            ArrayPool<byte>.Shared.Return(_out);
            _out = null;
        }

        _request = null;
        t_spare = this;
    }

    /// <summary>deflate_out_filter's checks, in Apache's order, with Apache's side effects on the head.</summary>
    private void Decide()
    {
        _state = State.PassThrough;
        RequestRecord r = _request!;
        HttpResponse response = Response;
        HttpResponseHeaders headers = response.Headers;
        bool hasEnv = r.HasEnvironment;
        if (response.StatusCode == 204 || (hasEnv && r.Environment.ContainsKey("no-gzip")) || headers.IndexOf("Content-Range") >= 0)
        {
            return;
        }

        string? type = response.ContentType ?? r.ContentType;
        if ((type is null || !type.StartsWith("text/html", StringComparison.Ordinal))
            && hasEnv && r.Environment.TryGetValue("gzip-only-text/html", out string? only) && only == "1")
        {
            return;
        }

        string? encoding = headers["Content-Encoding"];
        if (!OnlyIdentity(encoding) || !OnlyIdentity(r.ContentEncoding))
        {
            return;
        }

        MergeVary(headers);
        if (!(hasEnv && r.Environment.ContainsKey("force-gzip")))
        {
            string? accepts = r.Request.Headers["Accept-Encoding"];
            if (accepts is null || !AcceptEncoding.AllowsGzip(accepts))
            {
                return;
            }
        }

        if (encoding is null || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            headers.Set("Content-Encoding", "gzip");
        }
        else
        {
            headers.Set("Content-Encoding", encoding + ",gzip");
        }

        headers.Remove("Content-Length");
        headers.Remove("Content-MD5");
        AlterETag(headers);
        if (response.StatusCode == 304)
        {
            return; // only the head changes
        }

        _out = ArrayPool<byte>.Shared.Rent(_config.BufferSize);
        _gzip = new GZipStream(_sink, new ZLibCompressionOptions { CompressionLevel = _config.CompressionLevel }, leaveOpen: true);
        _state = State.Compressing;
    }

    private void ReleaseProbe()
    {
        int n = _probeLength;
        _probeLength = 0;
        if (n > 0)
        {
            Write(_probe.AsSpan(0, n));
        }
    }

    /// <summary>Compressed bytes from the compressor, held until the buffer is full.</summary>
    private void TakeCompressed(ReadOnlySpan<byte> data)
    {
        _compressed += data.Length;
        while (!data.IsEmpty)
        {
            if (_outLength == _out!.Length || _outLength == _config.BufferSize)
            {
                PassCompressed();
                PassFlush(); // the head goes out without a length, as when Apache passes a full buffer on
                if (_request!.Request.IsHead)
                {
                    // deflate_out_filter: a HEAD whose length is no longer knowable needs no more compressing.
                    _state = State.Discarding;
                    return;
                }
            }

            int n = Math.Min(data.Length, Math.Min(_out.Length, _config.BufferSize) - _outLength);
            data[..n].CopyTo(_out.AsSpan(_outLength));
            _outLength += n;
            data = data[n..];
        }
    }

    private void PassCompressed()
    {
        if (_outLength > 0 && _state != State.Discarding)
        {
            Pass(_out.AsSpan(0, _outLength));
        }

        _outLength = 0;
    }

    /// <summary>DeflateFilterNote: input and output byte counts and the ratio in percent, "-" for an empty input.</summary>
    private void LeaveNotes()
    {
        DeflateServerConfig c = _config;
        if (c.NoteInput is null && c.NoteOutput is null && c.NoteRatio is null)
        {
            return;
        }

        RequestRecord r = _request!;
        long output = Math.Max(0, _compressed - GzipFraming);
        if (c.NoteInput is { } input)
        {
            r.Notes[input] = _in > 0 ? _in.ToString(CultureInfo.InvariantCulture) : "-";
        }

        if (c.NoteOutput is { } outputName)
        {
            r.Notes[outputName] = _in > 0 ? output.ToString(CultureInfo.InvariantCulture) : "-";
        }

        if (c.NoteRatio is { } ratio)
        {
            r.Notes[ratio] = _in > 0 ? (output * 100 / _in).ToString(CultureInfo.InvariantCulture) : "-";
        }
    }

    /// <summary>Whether every coding in a Content-Encoding list is one mod_negotiation calls no coding.</summary>
    private static bool OnlyIdentity(string? encoding)
    {
        if (encoding is null)
        {
            return true;
        }

        foreach (Range part in encoding.AsSpan().Split(','))
        {
            ReadOnlySpan<char> token = encoding.AsSpan(part).Trim(" \t");
            int semi = token.IndexOf(';');
            if (semi >= 0)
            {
                token = token[..semi].TrimEnd(" \t");
            }

            if (token.IsEmpty)
            {
                continue;
            }

            if (!(token.SequenceEqual("identity") || token.SequenceEqual("7bit") || token.SequenceEqual("8bit") || token.SequenceEqual("binary")))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>apr_table_mergen(headers_out, "Vary", "Accept-Encoding").</summary>
    private static void MergeVary(HttpResponseHeaders headers)
    {
        int i = headers.IndexOf("Vary");
        if (i < 0)
        {
            headers.Set("Vary", "Accept-Encoding");
        }
        else
        {
            headers.Set("Vary", headers.GetValue(i) + ", Accept-Encoding");
        }
    }

    /// <summary>deflate_check_etag: "-gzip" before the closing quote of an ETag longer than 2, or no ETag (Remove).</summary>
    private void AlterETag(HttpResponseHeaders headers)
    {
        if (_config.ETagMode == DeflateETagMode.NoChange)
        {
            return;
        }

        if (_config.ETagMode == DeflateETagMode.Remove)
        {
            headers.Remove("ETag");
            return;
        }

        int i = headers.IndexOf("ETag");
        if (i < 0)
        {
            return;
        }

        Span<byte> tag = stackalloc byte[256];
        if (!headers.TryCopyValue(i, tag[..^5], out int n) || n <= 2 || tag[n - 1] != (byte)'"')
        {
            return;
        }

        "-gzip\""u8.CopyTo(tag[(n - 1)..]);
        headers.Set("ETag", tag[..(n + 5)]);
    }

    /// <summary>The compressor's output stream: every byte goes to <see cref="TakeCompressed"/>.</summary>
    private sealed class CompressedSink(DeflateOutputFilter owner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => owner.TakeCompressed(buffer);

        public override void Write(byte[] buffer, int offset, int count) => owner.TakeCompressed(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
