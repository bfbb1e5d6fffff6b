using System.Linq;
using Pluma.Config;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Core;

/// <summary>
/// AcceptFilter (core.c set_accf_map, listen.c ap_apply_accept_filter on Linux): which Listen
/// lines get TCP_DEFER_ACCEPT. Apache's Linux defaults are "data" for http and https; any name
/// but "none" defers (Linux has no accept filters to check a name against); a Listen line
/// without a protocol is https on port 443 and http on any other.
/// </summary>
public class AcceptFilterTests
{
    private static MainServerSettings MainOf(string text)
    {
        LoadedConfig config = ConfigFixture.LoadWithStatic(text, new HttpModule(CoreModule.Descriptor));
        return config.MainServer.ModuleConfig.Get<CoreServerConfig>(CoreModule.Descriptor)!.Main;
    }

    private static bool[] Defers(string text)
    {
        MainServerSettings main = MainOf(text);
        return [.. main.Listen.Select(main.AcceptFilters.DefersAccept)];
    }

    [Fact]
    public void HttpAndHttpsDeferByDefaultOtherProtocolsDoNot()
    {
        Assert.Equal([true, true, true, false], Defers("Listen 8080\nListen 443\nListen 8443 https\nListen 2121 ftp\n"));
    }

    [Theory]
    [InlineData("AcceptFilter http none", new[] { false, true })]
    [InlineData("AcceptFilter HTTP None", new[] { false, true })]       // both words lower-cased
    [InlineData("AcceptFilter https none", new[] { true, false })]
    [InlineData("AcceptFilter http httpready", new[] { true, true })]  // Linux: the same as data
    [InlineData("AcceptFilter http dataready", new[] { true, true })]
    [InlineData("AcceptFilter http nosuchfilter", new[] { true, true })] // not checked, as Apache
    public void AcceptFilterLinesOverrideTheDefaults(string line, bool[] expected)
    {
        Assert.Equal(expected, Defers(line + "\nListen 8080\nListen 443\n"));
    }

    [Fact]
    public void TheLastLineForAProtocolWinsAndOtherProtocolsCanBeGivenOne()
    {
        Assert.Equal([true, true], Defers("AcceptFilter http none\nAcceptFilter http data\nAcceptFilter ftp data\nListen 8080\nListen 2121 FTP\n"));
    }

    [Fact]
    public void AListensExplicitProtocolNotItsPortDecides()
    {
        Assert.Equal([false, true], Defers("AcceptFilter https none\nListen 8443 https\nListen 443 http\n"));
    }

    [Fact]
    public void AcceptFilterTakesTwoArgumentsInTheMainServerOnly()
    {
        ConfigException args = Assert.Throws<ConfigException>(() => MainOf("AcceptFilter http\n"));
        Assert.Contains("AcceptFilter takes two arguments", args.Message, System.StringComparison.Ordinal);
        ConfigException vhost = Assert.Throws<ConfigException>(() => MainOf("<VirtualHost *:8080>\nAcceptFilter http none\n</VirtualHost>\n"));
        Assert.Contains("cannot occur within <VirtualHost> section", vhost.Message, System.StringComparison.Ordinal);
    }
}
