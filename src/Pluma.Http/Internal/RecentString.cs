using System.Diagnostics.CodeAnalysis;

namespace Pluma.Http.Internal;

/// <summary>
/// The string last made from some request bytes (the Host name, the decoded path), kept per
/// worker thread: a keep-alive client names the same host, and often the same path, request after
/// request, and comparing a few bytes costs less than decoding and allocating the string again.
/// Only for strings that are a pure function of the bytes.
/// </summary>
internal sealed class RecentString
{
    // Longer keys are rare and are decoded every time.
    private const int MaxKeyLength = 128;

    private readonly byte[] _key = new byte[MaxKeyLength];
    private int _keyLength = -1;
    private string? _value;

    public bool TryGet(ReadOnlySpan<byte> key, [NotNullWhen(true)] out string? value)
    {
        value = _value;
        return value is not null && key.Length == _keyLength && key.SequenceEqual(_key.AsSpan(0, _keyLength));
    }

    public void Set(ReadOnlySpan<byte> key, string value)
    {
        if (key.Length > MaxKeyLength)
        {
            return;
        }

        key.CopyTo(_key);
        _keyLength = key.Length;
        _value = value;
    }
}
