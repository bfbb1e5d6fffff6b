using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pluma.Modules.LogConfig;

/// <summary>A reusable byte buffer one log line is rendered into (one per thread; never shrinks below its start size).</summary>
public sealed class LogBuffer
{
    private byte[] _bytes = new byte[1024];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(byte b)
    {
        Ensure(1);
        _bytes[Length++] = b;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Ensure(data.Length);
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    /// <summary>ASCII-only text (numbers, fixed words).</summary>
    public void AppendAscii(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            _bytes[Length + i] = (byte)text[i];
        }

        Length += text.Length;
    }

    public void Append(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(Length), out int n);
        Length += n;
    }

    public void Append(ulong value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(Length), out int n);
        Length += n;
    }

    /// <summary>ap_escape_logitem over the UTF-8 bytes of <paramref name="text"/>: '"' '\' and control and non-ASCII bytes are escaped.</summary>
    public void AppendEscaped(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        int n = Encoding.UTF8.GetBytes(text, utf8);
        AppendEscaped(utf8[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// ap_escape_logitem over the bytes a latin-1 string was read from (request header fields and
    /// the query string keep one char per byte received): a raw 0xE9 is logged as \xe9, as
    /// Apache logs it, not as the two bytes of its UTF-8 form.
    /// </summary>
    public void AppendEscapedLatin1(string text)
    {
        if (text.AsSpan().IndexOfAnyExceptInRange('\0', '\u00ff') >= 0)
        {
            AppendEscaped(text); // not bytes read as latin-1 after all
            return;
        }

        byte[]? rented = null;
        Span<byte> bytes = text.Length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(text.Length));
        int n = Encoding.Latin1.GetBytes(text, bytes);
        AppendEscaped(bytes[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void AppendEscaped(ReadOnlySpan<byte> raw)
    {
        Ensure(raw.Length * 4);
        foreach (byte b in raw)
        {
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\')
            {
                _bytes[Length++] = b;
                continue;
            }

            _bytes[Length++] = (byte)'\\';
            switch (b)
            {
                case (byte)'"':
                case (byte)'\\':
                    _bytes[Length++] = b;
                    break;
                case (byte)'\b':
                    _bytes[Length++] = (byte)'b';
                    break;
                case (byte)'\n':
                    _bytes[Length++] = (byte)'n';
                    break;
                case (byte)'\r':
                    _bytes[Length++] = (byte)'r';
                    break;
                case (byte)'\t':
                    _bytes[Length++] = (byte)'t';
                    break;
                case 0x0b:
                    _bytes[Length++] = (byte)'v';
                    break;
                default:
                    _bytes[Length++] = (byte)'x';
                    _bytes[Length++] = (byte)"0123456789abcdef"[b >> 4];
                    _bytes[Length++] = (byte)"0123456789abcdef"[b & 15];
                    break;
            }
        }
    }

    private void Ensure(int more)
    {
        if (Length + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
        }
    }
}
