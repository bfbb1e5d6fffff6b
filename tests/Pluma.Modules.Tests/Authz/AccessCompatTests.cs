using System.Collections.Generic;
using System.Net;
using Pluma.Modules.Authz;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Authz;

public class AccessCompatTests
{
    private sealed class Req(string client) : IAuthzRequest
    {
        public IPAddress ClientAddress { get; } = IPAddress.Parse(client);
        public IPAddress LocalAddress { get; } = IPAddress.Loopback;
        public string Method => "GET";
        public string? User => null;
        public HashSet<string> Env { get; } = [];
        public bool HasEnvironment(string name) => Env.Contains(name);
    }

    private static AccessCompatDirConfig Rules(string body)
    {
        var m = AccessCompatModule.Create();
        var config = ConfigFixture.Load("<Directory /srv>\n" + body + "\n</Directory>\n", m);
        return ConfigFixture.Dir<AccessCompatDirConfig>(config, m, "/srv/a.txt");
    }

    [Fact]
    public void AllowDenyDeniesUnlessAllowedAndNotDenied()
    {
        AccessCompatDirConfig c = Rules("Order allow,deny\nAllow from 10.0.0.0/8\nDeny from 10.9");
        Assert.True(c.Permits(new Req("10.1.1.1")));
        Assert.False(c.Permits(new Req("10.9.1.1")));
        Assert.False(c.Permits(new Req("192.168.1.1")));
    }

    [Fact]
    public void DenyAllowAllowsUnlessDeniedAndNotAllowed()
    {
        AccessCompatDirConfig c = Rules("Order deny,allow\nDeny from all\nAllow from 127.0.0.1");
        Assert.True(c.Permits(new Req("127.0.0.1")));
        Assert.False(c.Permits(new Req("10.0.0.1")));
    }

    [Theory]
    [InlineData("Order sideways", "unknown order")]
    [InlineData("Allow to 10.0.0.1", "allow and deny must be followed by 'from'")]
    [InlineData("Satisfy some", "Satisfy either 'any' or 'all'.")]
    public void BadLinesAreRefused(string line, string error)
    {
        Assert.Equal(error, ConfigFixture.LoadFails("<Directory /srv>\n" + line + "\n</Directory>\n", AccessCompatModule.Create()).Reason);
    }
}
