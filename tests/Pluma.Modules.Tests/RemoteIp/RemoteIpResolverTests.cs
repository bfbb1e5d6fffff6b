using System.Collections.Generic;
using System.Linq;
using System.Net;
using Pluma.Modules.Authz;
using Pluma.Modules.RemoteIp;
using Xunit;

namespace Pluma.Modules.Tests.RemoteIp;

/// <summary>remoteip_modify_request's walk, case by case as Apache 2.4.71 takes them.</summary>
public sealed class RemoteIpResolverTests
{
    private static readonly IPAddress Lb = IPAddress.Parse("10.0.0.5");

    private static List<RemoteIpProxy> Proxies(params (string Range, bool Internal)[] list) =>
        list.Select(p => new RemoteIpProxy(IpRange.TryParse(p.Range)!, p.Internal)).ToList();

    [Fact]
    public void WithoutProxyListEveryPeerIsAnExternalTrustedProxy()
    {
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "203.0.113.7", Lb, null);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), r.Client);
        Assert.Null(r.Remaining);
        Assert.Equal("10.0.0.5", r.ProxyIps);
    }

    [Fact]
    public void ExternalProxyMayNotPresentAPrivateAddress()
    {
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "192.168.1.9", Lb, null);
        Assert.Null(r.Client);
        Assert.Equal("AH01569: RemoteIP: Header X-Forwarded-For value of 192.168.1.9 appears to be a private IP or nonsensical.  Ignored", r.Refusal);
    }

    [Fact]
    public void InternalProxyMayPresentAPrivateAddress()
    {
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "192.168.1.9", Lb, Proxies(("10.0.0.0/8", true)));
        Assert.Equal(IPAddress.Parse("192.168.1.9"), r.Client);
        Assert.Null(r.ProxyIps);
    }

    [Fact]
    public void UntrustedPeerChangesNothing()
    {
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "203.0.113.7", IPAddress.Parse("198.51.100.1"), Proxies(("10.0.0.0/8", false)));
        Assert.Null(r.Client);
        Assert.Null(r.Refusal);
    }

    [Fact]
    public void WalkStopsAtTheFirstUntrustedHopAndKeepsTheRest()
    {
        // 10.0.0.5 (internal) -> 10.1.1.1 (internal) -> 198.51.100.9 (not listed): the client is 198.51.100.9.
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "1.2.3.4, 198.51.100.9, 10.1.1.1", Lb, Proxies(("10.0.0.0/8", true)));
        Assert.Equal(IPAddress.Parse("198.51.100.9"), r.Client);
        Assert.Equal("1.2.3.4", r.Remaining);
    }

    [Fact]
    public void TrustedProxiesAreRecorded()
    {
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "203.0.113.7, 198.51.100.2", IPAddress.Parse("198.51.100.1"),
            Proxies(("198.51.100.0/24", false)));
        Assert.Equal(IPAddress.Parse("203.0.113.7"), r.Client);
        Assert.Equal("198.51.100.1, 198.51.100.2", r.ProxyIps);
        Assert.Null(r.Remaining);
    }

    [Fact]
    public void ExternalProxyCannotPresentAnInternalOne()
    {
        // 198.51.100.1 is trusted (external); what it presents is external from then on, so the private 10.9.9.9 stops the walk.
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "10.9.9.9, 198.51.100.2", IPAddress.Parse("198.51.100.1"),
            Proxies(("10.0.0.0/8", true), ("198.51.100.0/24", false)));
        Assert.Equal(IPAddress.Parse("198.51.100.2"), r.Client);
        Assert.Equal("10.9.9.9", r.Remaining);
        Assert.StartsWith("AH01569:", r.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void UnparsableValueIsLoggedAndKept()
    {
        RemoteIpResult r = RemoteIpResolver.Resolve("X-Forwarded-For", "not-an-ip, 10.2.2.2", Lb, Proxies(("10.0.0.0/8", true)));
        Assert.Equal(IPAddress.Parse("10.2.2.2"), r.Client);
        Assert.Equal("not-an-ip", r.Remaining);
        Assert.Equal("AH01568: RemoteIP: Header X-Forwarded-For value of not-an-ip cannot be parsed as a client IP", r.Refusal);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.15.0.1", true)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.1", false)]
    [InlineData("169.254.1.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("2001:db8::1", true)]
    [InlineData("fe80::1", false)]
    [InlineData("::1", false)]
    public void GlobalAddresses(string address, bool global) =>
        Assert.Equal(global, RemoteIpResolver.IsGlobal(IPAddress.Parse(address)));
}
