using System.IO;
using Pluma.Connections.Diagnostics;

namespace Pluma.Host;

/// <summary>
/// A write-only stream over an <see cref="AppendOnlyFile"/> (for -E's start-up log, which the
/// children open again): each Write is one write(2) on an O_APPEND descriptor, so a TextWriter
/// with AutoFlush writes each message whole, whichever process wrote it.
/// </summary>
internal sealed class AppendOnlyStream(AppendOnlyFile file) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _ = file.Write(buffer);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
