using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.RemoteIp;

/// <summary>
/// mod_remoteip's post_config notices, which Debian's apache2 2.4.71 logs in the parent whenever it
/// reads the configuration (start-up and each restart), whatever the LogLevel: AH03492 for each
/// address where RemoteIPProxyProtocol is on (the main server's is 0.0.0.0:0), AH03494 for each
/// where a later virtual host turned it off.
/// </summary>
public sealed class ProxyProtocolNoticeTests
{
    [Fact]
    public void EnabledAndDisabledAddressesAreLoggedAtStartAndRestart()
    {
        using var tree = new TempConfTree();
        int off = FreePort.Next();
        tree.AppendToMainConfig(
            "LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\n" +
            "LogLevel warn\n" +
            "RemoteIPProxyProtocol On\n" +
            $"Listen 127.0.0.1:{off}\n" +
            $"<VirtualHost 127.0.0.1:{off}>\n  RemoteIPProxyProtocol Off\n</VirtualHost>\n");
        using PlumaServer server = PlumaServer.Start(tree);
        string enabled = @"\[remoteip:notice\] \[pid \d+:tid \d+\] AH03492: RemoteIPProxyProtocol: enabled on 0\.0\.0\.0:0\n";
        string disabled = @"\[remoteip:notice\] \[pid \d+:tid \d+\] AH03494: RemoteIPProxyProtocol: disabled on 127\.0\.0\.1:" + off.ToString(CultureInfo.InvariantCulture) + @"\n";
        Assert.Matches(enabled + @"\[[^\]]+\] " + disabled, tree.ErrorLog);
        Assert.Equal(1, Regex.Count(tree.ErrorLog, "AH03494"));

        server.Signal(NativeSignals.SIGHUP);
        for (int i = 0; i < 100 && Regex.Count(tree.ErrorLog, "AH03494") < 2; i++)
        {
            Thread.Sleep(100);
        }

        Assert.Equal(2, Regex.Count(tree.ErrorLog, "AH03492: RemoteIPProxyProtocol: enabled on 0.0.0.0:0"));
        Assert.Equal(2, Regex.Count(tree.ErrorLog, "AH03494: RemoteIPProxyProtocol: disabled on 127.0.0.1:" + off.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void NoNoticeWithoutTheProxyProtocol()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\nRemoteIPHeader X-Forwarded-For\n");
        using PlumaServer server = PlumaServer.Start(tree);
        Assert.DoesNotContain("RemoteIPProxyProtocol:", tree.ErrorLog, StringComparison.Ordinal);
    }
}
