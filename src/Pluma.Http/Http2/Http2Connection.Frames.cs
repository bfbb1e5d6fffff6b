using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;

namespace Pluma.Http.Http2;

/// <summary>Frame handling by type (RFC 9113 6), with the errors of 5.1 and 5.4.</summary>
public sealed partial class Http2Connection
{
    private const int MaxSkippedRanges = 8;

    // The header block being assembled from HEADERS and CONTINUATION frames (4.3).
    private byte[] _block = [];

    /// <summary>Ranges of stream identifiers the client passed over (bounded), so HEADERS on one is told from HEADERS on a closed stream.</summary>
    private List<(int From, int To)>? _skipped;
    private int _blockLength;
    private int _blockStream;
    private bool _blockEndStream;
    // The block belongs to a stream this side closed early (its trailers): decoded, then dropped.
    private bool _blockDiscard;
    // The last streams this side closed with RST_STREAM NO_ERROR before the client finished sending
    // (a response complete before its request body, 8.1): the client may still have DATA or
    // trailers on the way, which RFC 9113 5.1 ("closed") says to ignore, not to treat as errors.
    private readonly int[] _closedEarly = new int[8];
    private int _closedEarlyNext;
    private int _blockFrames;

    private void HandleFrame(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (!_settingsReceived && (header.Type != Http2FrameType.Settings || header.HasFlag(Http2Flags.Ack)))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "the client's preface must start with SETTINGS");
        }

        if (_blockStream != 0 && header.Type != Http2FrameType.Continuation)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "frame inside a header block");
        }

        switch (header.Type)
        {
            case Http2FrameType.Data:
                OnData(header, payload);
                break;
            case Http2FrameType.Headers:
                OnHeaders(header, payload);
                break;
            case Http2FrameType.Continuation:
                OnContinuation(header, payload);
                break;
            case Http2FrameType.Priority:
                OnPriority(header, payload);
                break;
            case Http2FrameType.RstStream:
                OnRstStream(header, payload);
                break;
            case Http2FrameType.Settings:
                OnSettings(header, payload);
                break;
            case Http2FrameType.PushPromise:
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE from a client");
            case Http2FrameType.Ping:
                OnPing(header, payload);
                break;
            case Http2FrameType.GoAway:
                if (header.StreamId != 0)
                {
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "GOAWAY on a stream");
                }

                _peerGoAway = true;
                break;
            case Http2FrameType.WindowUpdate:
                OnWindowUpdate(header, payload);
                break;
            default:
                break; // unknown frame types are ignored (4.1, 5.5)
        }
    }

    private void OnSettings(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.StreamId != 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS on a stream");
        }

        if (header.HasFlag(Http2Flags.Ack))
        {
            if (header.Length != 0)
            {
                throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "SETTINGS ACK with a payload");
            }

            return;
        }

        if (header.Length % 6 != 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "SETTINGS length not a multiple of 6");
        }

        _settingsReceived = true;
        for (int i = 0; i < payload.Length; i += 6)
        {
            var id = (Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(payload[i..]);
            uint value = BinaryPrimitives.ReadUInt32BigEndian(payload[(i + 2)..]);
            switch (id)
            {
                case Http2SettingId.EnablePush when value > 1:
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_ENABLE_PUSH above 1");
                case Http2SettingId.InitialWindowSize:
                    if (value > int.MaxValue)
                    {
                        throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                    }

                    // 6.9.2: the change applies to every open stream's window.
                    long delta = (long)value - _peerInitialWindow;
                    _peerInitialWindow = (int)value;
                    foreach (Http2Stream stream in _streams.Values)
                    {
                        stream.SendWindow += delta;
                        if (stream.SendWindow > int.MaxValue)
                        {
                            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
                        }
                    }

                    break;
                case Http2SettingId.MaxFrameSize:
                    if (value < Http2FrameHeader.DefaultMaxFrameSize || value > Http2FrameHeader.MaxAllowedFrameSize)
                    {
                        throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_MAX_FRAME_SIZE out of range");
                    }

                    _peerMaxFrameSize = (int)value;
                    break;
                default:
                    break; // header table size: our encoder uses no dynamic table; others are advisory or unknown
            }
        }

        Reserve(Http2FrameHeader.Size);
        _outLength += Http2FrameWriter.WriteSettingsAck(_out.AsSpan(_outLength));
    }

    private void OnPing(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.StreamId != 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PING on a stream");
        }

        if (header.Length != 8)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "PING length not 8");
        }

        if (!header.HasFlag(Http2Flags.Ack))
        {
            Reserve(17);
            _outLength += Http2FrameWriter.WritePing(_out.AsSpan(_outLength), payload, ack: true);
        }
    }

    private void OnWindowUpdate(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.Length != 4)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "WINDOW_UPDATE length not 4");
        }

        int increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff);
        if (header.StreamId == 0)
        {
            if (increment == 0)
            {
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE of 0");
            }

            _connectionSendWindow += increment;
            if (_connectionSendWindow > int.MaxValue)
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "connection window above 2^31-1");
            }

            return;
        }

        if (IsIdle(header.StreamId))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE on an idle stream");
        }

        if (!_streams.TryGetValue(header.StreamId, out Http2Stream? stream))
        {
            return; // closed: may race with our END_STREAM (6.9)
        }

        if (increment == 0)
        {
            ResetStream(stream, Http2ErrorCode.ProtocolError);
            return;
        }

        stream.SendWindow += increment;
        if (stream.SendWindow > int.MaxValue)
        {
            ResetStream(stream, Http2ErrorCode.FlowControlError);
        }
    }

    private void OnPriority(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        // Accepted and ignored (5.3.2), after its own checks (6.3).
        if (header.StreamId == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PRIORITY on stream 0");
        }

        if (header.Length != 5)
        {
            SendRstStream(header.StreamId, Http2ErrorCode.FrameSizeError);
            return;
        }

        if ((int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff) == header.StreamId)
        {
            SendRstStream(header.StreamId, Http2ErrorCode.ProtocolError);
        }
    }

    private void OnRstStream(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.StreamId == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "RST_STREAM on stream 0");
        }

        if (header.Length != 4)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "RST_STREAM length not 4");
        }

        if (IsIdle(header.StreamId))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "RST_STREAM on an idle stream");
        }

        // Rapid reset (CVE-2023-44487): a client opening and cancelling streams faster than
        // MaxResetsPerSecond is told to calm down and closed.
        long now = Stopwatch.GetTimestamp();
        if (now - _resetWindowStart > Stopwatch.Frequency)
        {
            _resetWindowStart = now;
            _resetsInWindow = 0;
        }

        if (++_resetsInWindow > _options.MaxResetsPerSecond)
        {
            Log(Pluma.Connections.Diagnostics.LogLevel.Info, "PL00501: HTTP/2 client reset more than " + _options.MaxResetsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture) + " streams in one second: GOAWAY ENHANCE_YOUR_CALM");
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "rapid reset");
        }

        if (_streams.Remove(header.StreamId, out Http2Stream? stream))
        {
            stream.Reset = true;
            if (!stream.Serving)
            {
                stream.Dispose();
            }
        }
    }

    private void OnData(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.StreamId == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on stream 0");
        }

        if (!Http2FramePayload.TryGetContent(header, payload, out ReadOnlySpan<byte> content))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA padding too long");
        }

        // Connection flow control counts the whole payload (6.9.1); the stream's buffer is
        // bounded by the stream window, so the connection window is credited back at once.
        _connectionReceiveWindow -= header.Length;
        if (_connectionReceiveWindow < 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "connection window exceeded");
        }

        _connectionUnacknowledged += header.Length;
        if (_connectionUnacknowledged >= ConnectionWindow / 2)
        {
            Reserve(13);
            _outLength += Http2FrameWriter.WriteWindowUpdate(_out.AsSpan(_outLength), 0, _connectionUnacknowledged);
            _connectionReceiveWindow += _connectionUnacknowledged;
            _connectionUnacknowledged = 0;
        }

        if (IsIdle(header.StreamId))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on an idle stream");
        }

        if (!_streams.TryGetValue(header.StreamId, out Http2Stream? stream) || stream.RemoteClosed)
        {
            if (stream is null && WasClosedEarly(header.StreamId))
            {
                return; // sent before our RST_STREAM reached the client (the window counted it above)
            }

            SendRstStream(header.StreamId, Http2ErrorCode.StreamClosed);
            return;
        }

        stream.ReceiveWindow -= header.Length;
        if (stream.ReceiveWindow < 0)
        {
            ResetStream(stream, Http2ErrorCode.FlowControlError);
            return;
        }

        // Padding is credited back now; content when the engine reads it.
        stream.Unacknowledged += header.Length - content.Length;
        stream.DataReceived += content.Length;
        if (stream.ContentLength >= 0 && (stream.DataReceived > stream.ContentLength
            || (header.HasFlag(Http2Flags.EndStream) && stream.DataReceived != stream.ContentLength)))
        {
            ResetStream(stream, Http2ErrorCode.ProtocolError); // 8.1.1: malformed
            return;
        }

        stream.AddData(content);
        if (header.HasFlag(Http2Flags.EndStream))
        {
            stream.End(default);
        }
    }

    private void OnHeaders(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.StreamId == 0 || (header.StreamId & 1) == 0)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "HEADERS on stream 0 or an even stream");
        }

        if (!Http2FramePayload.TryGetContent(header, payload, out ReadOnlySpan<byte> fragment))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "HEADERS padding too long");
        }

        if (Http2FramePayload.PriorityDependency(header, payload) == header.StreamId && IsIdle(header.StreamId))
        {
            // A stream depending on itself (5.3.1): a stream error, after the block keeps HPACK in step.
            OpenedStream(header.StreamId);
            DecodeAndDiscard(fragment, header);
            SendRstStream(header.StreamId, Http2ErrorCode.ProtocolError);
            return;
        }

        if (!IsIdle(header.StreamId) && !_streams.ContainsKey(header.StreamId))
        {
            if (WasSkipped(header.StreamId))
            {
                // Never opened, and lower than one that was (5.1.1): an unexpected identifier.
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "HEADERS with a stream identifier lower than one already opened");
            }

            if (!WasClosedEarly(header.StreamId))
            {
                throw new Http2ConnectionException(Http2ErrorCode.StreamClosed, "HEADERS on a closed stream");
            }

            _blockDiscard = true;
        }

        _blockStream = header.StreamId;
        _blockEndStream = header.HasFlag(Http2Flags.EndStream);
        _blockLength = 0;
        _blockFrames = 1;
        AppendBlock(fragment);
        if (header.HasFlag(Http2Flags.EndHeaders))
        {
            CompleteBlock();
        }
    }

    private void OnContinuation(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (_blockStream == 0 || header.StreamId != _blockStream)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "CONTINUATION without its HEADERS");
        }

        if (++_blockFrames > _options.MaxContinuationFrames)
        {
            Log(Pluma.Connections.Diagnostics.LogLevel.Info, "PL00502: HTTP/2 header block in more than " + _options.MaxContinuationFrames.ToString(System.Globalization.CultureInfo.InvariantCulture) + " frames: GOAWAY ENHANCE_YOUR_CALM");
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "CONTINUATION flood");
        }

        AppendBlock(payload);
        if (header.HasFlag(Http2Flags.EndHeaders))
        {
            CompleteBlock();
        }
    }

    private void AppendBlock(ReadOnlySpan<byte> fragment)
    {
        // A compressed block is never larger than its decoded list plus a little per field.
        int limit = _options.MaxHeaderListSize + 4096;
        if (_blockLength + fragment.Length > limit)
        {
            Log(Pluma.Connections.Diagnostics.LogLevel.Info, "PL00502: HTTP/2 header block larger than " + limit.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes: GOAWAY ENHANCE_YOUR_CALM");
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "header block too large");
        }

        if (_blockLength + fragment.Length > _block.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_blockLength + fragment.Length, 4096));
            _block.AsSpan(0, _blockLength).CopyTo(bigger);
            if (_block.Length != 0)
            {
                ArrayPool<byte>.Shared.Return(_block);
            }

            _block = bigger;
        }

        fragment.CopyTo(_block.AsSpan(_blockLength));
        _blockLength += fragment.Length;
    }

    private void DecodeAndDiscard(ReadOnlySpan<byte> fragment, in Http2FrameHeader header)
    {
        if (!header.HasFlag(Http2Flags.EndHeaders))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "self-dependent stream with CONTINUATION");
        }

        _requestHead.Begin(trailer: false);
        Decode(fragment);
    }

    private void Decode(ReadOnlySpan<byte> block)
    {
        try
        {
            _decoder.Decode(block, _requestHead);
        }
        catch (Hpack.HpackException e) when (!e.IsListTooLarge)
        {
            throw new Http2ConnectionException(Http2ErrorCode.CompressionError, "HPACK: " + e.Message);
        }
    }

    private bool IsIdle(int streamId) => streamId > _lastStreamId;

    /// <summary>The client opens <paramref name="id"/>, above every stream before it: the odd identifiers it passed over are closed unused (5.1.1).</summary>
    private void OpenedStream(int id)
    {
        if (id > _lastStreamId + 2)
        {
            _skipped ??= [];
            if (_skipped.Count == MaxSkippedRanges)
            {
                _skipped.RemoveAt(0); // the oldest then reads as closed (STREAM_CLOSED): still a connection error
            }

            _skipped.Add((_lastStreamId + 2, id - 2));
        }

        _lastStreamId = id;
    }

    /// <summary>Remembers a stream this side reset with NO_ERROR while the client was still sending.</summary>
    private void RememberClosedEarly(int id)
    {
        _closedEarly[_closedEarlyNext] = id;
        _closedEarlyNext = (_closedEarlyNext + 1) % _closedEarly.Length;
    }

    private bool WasClosedEarly(int id) => id != 0 && Array.IndexOf(_closedEarly, id) >= 0;

    private bool WasSkipped(int id)
    {
        foreach ((int from, int to) in _skipped ?? [])
        {
            if (id >= from && id <= to)
            {
                return true;
            }
        }

        return false;
    }
}
