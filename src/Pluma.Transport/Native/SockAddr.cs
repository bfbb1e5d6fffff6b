using System.Buffers.Binary;
using System.Net;

namespace Pluma.Transport.Native;

/// <summary>Decodes a Linux sockaddr_in / sockaddr_in6 into an endpoint.</summary>
internal static class SockAddr
{
    public const int MaxSize = 28;
    private const ushort AF_INET = 2;
    private const ushort AF_INET6 = 10;

    public static IPEndPoint ToEndPoint(ReadOnlySpan<byte> addr)
    {
        ushort family = BitConverter.ToUInt16(addr);
        int port = BinaryPrimitives.ReadUInt16BigEndian(addr[2..]);
        if (family == AF_INET)
        {
            return new IPEndPoint(new IPAddress(addr.Slice(4, 4)), port);
        }

        if (family == AF_INET6)
        {
            uint scope = BitConverter.ToUInt32(addr[24..]);
            var ip = new IPAddress(addr.Slice(8, 16), scope);
            // Apache prints v4 clients of a dual-stack listener as plain IPv4.
            return new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, port);
        }

        return new IPEndPoint(IPAddress.None, 0);
    }
}
