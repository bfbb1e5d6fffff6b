using System.Buffers;

namespace Pluma.Modules.RemoteIp;

/// <summary>
/// What a PROXY protocol connection keeps between the MPM's calls (its <c>ProtocolState</c>):
/// the header's bytes while they arrive (the event MPM parks the connection meanwhile), then
/// the <see cref="ProxiedConnection"/> the protocol above serves for the rest of its life.
/// </summary>
internal sealed class ProxyProtocolState : IDisposable
{
    // Room for the longest header and some of the request behind it in the same read.
    public const int BufferSize = 1024;

    public ProxyProtocolState(long deadline)
    {
        Deadline = deadline;
    }

    /// <summary>When the header must have arrived (<see cref="Environment.TickCount64"/> ms).</summary>
    public long Deadline { get; }

    public byte[]? Header { get; private set; }

    public int Count { get; set; }

    public ProxiedConnection? Proxied { get; set; }

    public byte[] RentHeader() => Header ??= ArrayPool<byte>.Shared.Rent(BufferSize);

    public void ReturnHeader()
    {
        if (Header is not null)
        {
            ArrayPool<byte>.Shared.Return(Header);
            Header = null;
        }
    }

    public void Dispose()
    {
        ReturnHeader();
        Proxied?.ProtocolState?.Dispose();
        Proxied = null;
    }
}
