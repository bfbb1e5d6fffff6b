using System.Linq;
using Pluma.Modules.Tests.Support;
using Xunit;

namespace Pluma.Modules.Tests.Core;

/// <summary>
/// EnableSendfile reaches the static file path per directory, merged as Apache merges it (the
/// nearest section that sets it wins; not set anywhere is Off): a large file goes by the
/// transport's SendFile only where the setting is On, and arrives whole either way.
/// </summary>
public sealed class EnableSendfileConfigTests : IDisposable
{
    private static readonly string Big = string.Concat(Enumerable.Range(0, 60_000).Select(i => (char)('a' + (i % 26)))) + "0123456789";

    private readonly Site _site = new();

    public EnableSendfileConfigTests()
    {
        foreach (string dir in new[] { "default", "on", "on/off", "on/inherits" })
        {
            _site.Write(dir + "/big.txt", string.Concat(Enumerable.Repeat(Big, 10)));
        }

        _site.Configure(
            "<Directory " + _site.Root + ">\nRequire all granted\n</Directory>\n"
            + "<Directory " + _site.Root + "/on>\nEnableSendfile On\n</Directory>\n"
            + "<Directory " + _site.Root + "/on/off>\nEnableSendfile Off\n</Directory>\n");
    }

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("/default/big.txt", 0)]
    [InlineData("/on/big.txt", 1)]
    [InlineData("/on/off/big.txt", 0)]
    [InlineData("/on/inherits/big.txt", 1)]
    public void ALargeFileGoesBySendfileOnlyWhereTheDirectorySaysOn(string target, int sendFileCalls)
    {
        var c = MemoryConnection.For("GET " + target + " HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n");
        _site.Serve(c);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", c.Output, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + string.Concat(Enumerable.Repeat(Big, 10)), c.Output, StringComparison.Ordinal);
        Assert.Equal(sendFileCalls, c.SendFileCalls);
    }
}
