using System.Net;
using System.Text;
using Pluma.Modules.RemoteIp;
using Xunit;

namespace Pluma.Modules.Tests.RemoteIp;

/// <summary>The PROXY protocol header as mod_remoteip reads it, every byte boundary included.</summary>
public sealed class ProxyProtocolHeaderTests
{
    private static ProxyHeaderStatus Parse(byte[] data, out int length, out IPEndPoint? client, out string? error) =>
        ProxyProtocolHeader.Parse(data, out length, out client, out error);

    private static ProxyHeaderStatus Parse(string text, out int length, out IPEndPoint? client, out string? error) =>
        Parse(Encoding.ASCII.GetBytes(text), out length, out client, out error);

    [Fact]
    public void V1Tcp4AtEverySplitPoint()
    {
        byte[] all = Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 10.0.0.1 51234 80\r\nGET / HTTP/1.1\r\n");
        int headerLength = all.AsSpan().IndexOf("\r\n"u8) + 2;
        for (int i = 0; i < headerLength; i++)
        {
            Assert.Equal(ProxyHeaderStatus.NeedMore, Parse(all[..i], out _, out _, out _));
        }

        Assert.Equal(ProxyHeaderStatus.Done, Parse(all, out int length, out IPEndPoint? client, out _));
        Assert.Equal(headerLength, length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 51234), client);
    }

    [Fact]
    public void V1Tcp6AndUnknown()
    {
        Assert.Equal(ProxyHeaderStatus.Done, Parse("PROXY TCP6 2001:db8::7 ::1 4000 443\r\n", out _, out IPEndPoint? c6, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 4000), c6);
        Assert.Equal(ProxyHeaderStatus.Done, Parse("PROXY UNKNOWN\r\n", out int len, out IPEndPoint? none, out _));
        Assert.Equal(15, len);
        Assert.Null(none);
    }

    [Theory]
    [InlineData("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "AH03499: RemoteIPProxyProtocol: unknown family 'TCP5' in header 'PROXY TCP5 1.2.3.4 5.6.7.8 1 2'")]
    [InlineData("PROXY TCP4 1.2.3.x 5.6.7.8 1 2\r\n", "AH03500: RemoteIPProxyProtocol: invalid client-address '1.2.3.x' found in header 'PROXY TCP4 1.2.3.x 5.6.7.8 1 2'")]
    [InlineData("PROXY TCP4 1.2.3.4      \r\n", "AH03497: RemoteIPProxyProtocol: no destination-address found in header 'PROXY TCP4 1.2.3.4      '")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8\r\n", "AH03497: RemoteIPProxyProtocol: no client-port found in header 'PROXY TCP4 1.2.3.4 5.6.7.8'")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 x 2\r\n", "AH03501: RemoteIPProxyProtocol: error parsing port 'x' in header 'PROXY TCP4 1.2.3.4 5.6.7.8 x 2'")]
    [InlineData("PROXY TCP4 1.2.3.400 5.6.7.8 1 2\r\n", "AH03502: RemoteIPProxyProtocol: error converting family '2', host '1.2.3.400', and port '1' to sockaddr; header was 'PROXY TCP4 1.2.3.400 5.6.7.8 1 2'")]
    public void V1ErrorsCarryApachesLines(string header, string expected)
    {
        Assert.Equal(ProxyHeaderStatus.Error, Parse(header, out _, out _, out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void NotAProxyHeaderIsClosedWithoutALine()
    {
        Assert.Equal(ProxyHeaderStatus.Error, Parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n", out _, out _, out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void V1WithoutEndWithin108BytesIsTooLong()
    {
        Assert.Equal(ProxyHeaderStatus.Error, Parse("PROXY TCP4 " + new string('1', 120), out _, out _, out string? error));
        Assert.StartsWith("AH10185: RemoteIPProxyProtocol header too long", error, StringComparison.Ordinal);
    }

    private static byte[] V2(byte command, byte family, byte[] addresses)
    {
        byte[] h = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, command, family, (byte)(addresses.Length >> 8), (byte)addresses.Length];
        return [.. h, .. addresses];
    }

    [Fact]
    public void V2Tcp4AtEverySplitPoint()
    {
        byte[] addr = [203, 0, 113, 7, 10, 0, 0, 1, 0xC8, 0x22, 0, 80];
        byte[] all = [.. V2(0x21, 0x11, addr), .. "GET"u8.ToArray()];
        for (int i = 0; i < 28; i++)
        {
            Assert.Equal(ProxyHeaderStatus.NeedMore, Parse(all[..i], out _, out _, out _));
        }

        Assert.Equal(ProxyHeaderStatus.Done, Parse(all, out int length, out IPEndPoint? client, out _));
        Assert.Equal(28, length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 0xC822), client);
    }

    [Fact]
    public void V2Tcp6WithTlvs()
    {
        byte[] addr = new byte[36 + 7];
        IPAddress.Parse("2001:db8::9").GetAddressBytes().CopyTo(addr, 0);
        addr[32] = 0x10;
        addr[33] = 0x01;
        Assert.Equal(ProxyHeaderStatus.Done, Parse(V2(0x21, 0x21, addr), out int length, out IPEndPoint? client, out _));
        Assert.Equal(16 + 43, length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::9"), 0x1001), client);
    }

    [Fact]
    public void V2LocalCommandLeavesThePeer()
    {
        // HAProxy's health checks with check-send-proxy: Apache 2.4.71 takes them as the peer's own.
        Assert.Equal(ProxyHeaderStatus.Done, Parse(V2(0x20, 0x00, []), out int length, out IPEndPoint? client, out _));
        Assert.Equal(16, length);
        Assert.Null(client);
    }

    [Fact]
    public void V2ErrorsCarryApachesLines()
    {
        Parse(V2(0x22, 0x11, new byte[12]), out _, out _, out string? command);
        Assert.Equal("AH03507: RemoteIPProxyProtocol: unsupported command 22", command);
        Parse(V2(0x21, 0x31, new byte[216]), out _, out _, out string? unix);
        Assert.Equal("AH10183: RemoteIPProxyProtocol: unsupported protocol 31", unix);
        Parse(V2(0x21, 0x11, new byte[4]), out _, out _, out string? shortV4);
        Assert.Equal("AH10597: RemoteIPProxyProtocol: address length 4 too short for TCPv4", shortV4);
        Parse(V2(0x21, 0x11, new byte[300]), out _, out _, out string? tooLong);
        Assert.Equal("AH10186: RemoteIPProxyProtocol protocol header length too long", tooLong);
    }
}
