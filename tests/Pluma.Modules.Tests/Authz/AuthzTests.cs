using System.Collections.Generic;
using System.Net;
using Pluma.Modules.Authz;
using Pluma.Modules.Hosting;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Authz;

public class AuthzTests
{
    private sealed class Req(string client, string method = "GET", string? user = null, string local = "127.0.0.1") : IAuthzRequest
    {
        public IPAddress ClientAddress { get; } = IPAddress.Parse(client);
        public IPAddress LocalAddress { get; } = IPAddress.Parse(local);
        public string Method { get; } = method;
        public string? User { get; } = user;
        public HashSet<string> Env { get; } = [];
        public bool HasEnvironment(string name) => Env.Contains(name);
    }

    private static AuthzNode? Rules(string body, string path = "/srv/a")
    {
        var authz = AuthzCoreModule.Create();
        var config = ConfigFixture.Load(body, authz);
        return ConfigFixture.Dir<AuthzDirConfig>(config, authz, path + "/x.html").Root;
    }

    private static int Decide(AuthzNode? root, IAuthzRequest r) => AuthzCoreModule.Decide(root, r);

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3", true)]
    [InlineData("10.1", "10.1.200.3", true)]
    [InlineData("10.1", "10.2.0.1", false)]
    [InlineData("192.168.0.0/16", "192.168.7.7", true)]
    [InlineData("192.168.0.0/255.255.0.0", "192.168.7.7", true)]
    [InlineData("192.168.0.0/24", "192.168.1.1", false)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.9.9.9", true)]
    public void IpRangesMatchAsAprSubnets(string range, string client, bool expected)
    {
        Assert.Equal(expected, IpRange.TryParse(range)!.Contains(IPAddress.Parse(client)));
    }

    [Fact]
    public void AllGrantedAndDenied()
    {
        Assert.Equal(HookResult.Ok, Decide(Rules("<Directory /srv>\nRequire all granted\n</Directory>\n"), new Req("1.2.3.4")));
        Assert.Equal(403, Decide(Rules("<Directory /srv>\nRequire all denied\n</Directory>\n"), new Req("1.2.3.4")));
    }

    [Fact]
    public void NoRulesMeansAccessAllowed()
    {
        Assert.Equal(HookResult.Ok, Decide(Rules("<Directory /other>\nRequire all denied\n</Directory>\n"), new Req("1.2.3.4")));
    }

    [Fact]
    public void RequireLocalGrantsLoopbackAndOwnAddressOnly()
    {
        AuthzNode? root = Rules("<Location />\nRequire local\n</Location>\n");
        Assert.Equal(HookResult.Ok, Decide(root, new Req("127.0.0.1")));
        Assert.Equal(HookResult.Ok, Decide(root, new Req("::1", local: "::1")));
        Assert.Equal(HookResult.Ok, Decide(root, new Req("10.0.0.5", local: "10.0.0.5")));
        Assert.Equal(403, Decide(root, new Req("10.0.0.6", local: "10.0.0.5")));
    }

    [Fact]
    public void RequireAllWithNegationExcludesARange()
    {
        AuthzNode? root = Rules("<Directory /srv>\n<RequireAll>\nRequire ip 10.0.0.0/8\nRequire not ip 10.9\n</RequireAll>\n</Directory>\n");
        Assert.Equal(HookResult.Ok, Decide(root, new Req("10.1.1.1")));
        Assert.Equal(403, Decide(root, new Req("10.9.1.1")));
        Assert.Equal(403, Decide(root, new Req("11.0.0.1")));
    }

    [Fact]
    public void RequireNoneDeniesWhatItsChildrenGrant()
    {
        AuthzNode? root = Rules("<Directory /srv>\n<RequireAll>\nRequire all granted\n<RequireNone>\nRequire method DELETE\n</RequireNone>\n</RequireAll>\n</Directory>\n");
        Assert.Equal(HookResult.Ok, Decide(root, new Req("1.1.1.1", "GET")));
        Assert.Equal(403, Decide(root, new Req("1.1.1.1", "DELETE")));
    }

    [Fact]
    public void RequireLinesAreAlternatives()
    {
        AuthzNode? root = Rules("<Directory /srv>\nRequire ip 10.0.0.1\nRequire method GET\n</Directory>\n");
        Assert.Equal(HookResult.Ok, Decide(root, new Req("1.1.1.1", "GET")));
        Assert.Equal(HookResult.Ok, Decide(root, new Req("10.0.0.1", "POST")));
        Assert.Equal(403, Decide(root, new Req("1.1.1.1", "POST")));
    }

    [Fact]
    public void SubdirectoryRulesReplaceTheParentsUnlessMerged()
    {
        string outer = "<Directory /srv>\nRequire ip 10.0.0.1\n</Directory>\n";
        AuthzNode? replaced = Rules(outer + "<Directory /srv/a>\nRequire method GET\n</Directory>\n");
        Assert.Equal(HookResult.Ok, Decide(replaced, new Req("1.1.1.1", "GET")));
        AuthzNode? and = Rules(outer + "<Directory /srv/a>\nAuthMerging And\nRequire method GET\n</Directory>\n");
        Assert.Equal(403, Decide(and, new Req("1.1.1.1", "GET")));
        Assert.Equal(HookResult.Ok, Decide(and, new Req("10.0.0.1", "GET")));
        AuthzNode? inherited = Rules(outer + "<Directory /srv/a>\nOptions None\n</Directory>\n".Replace("Options None", "AuthzSendForbiddenOnFailure On", StringComparison.Ordinal));
        Assert.Equal(403, Decide(inherited, new Req("1.1.1.1", "GET")));
    }

    [Fact]
    public void RequireInsideLimitAppliesOnlyToThoseMethods()
    {
        AuthzNode? root = Rules("<Directory /srv>\nRequire all granted\n<Limit POST>\nRequire all denied\n</Limit>\n</Directory>\n");
        Assert.Equal(HookResult.Ok, Decide(root, new Req("1.1.1.1", "POST")));
        AuthzNode? all = Rules("<Directory /srv>\n<RequireAll>\nRequire all granted\n<Limit POST>\nRequire all denied\n</Limit>\n</RequireAll>\n</Directory>\n");
        Assert.Equal(HookResult.Ok, Decide(all, new Req("1.1.1.1", "GET")));
        Assert.Equal(403, Decide(all, new Req("1.1.1.1", "POST")));
    }

    [Theory]
    [InlineData("Require not ip 10.1", "negative Require directive has no effect in <RequireAny> directive")]
    [InlineData("Require bogus", "Unknown Authz provider: bogus")]
    [InlineData("Require all maybe", "Argument for 'Require all' must be 'granted' or 'denied'")]
    [InlineData("Require ip 10.0.0.300", "ip address '10.0.0.300' appears to be invalid: The specified IP address is invalid.")]
    [InlineData("Require ip 10.0.0.0/40", "ip address '10.0.0.0/40' appears to be invalid: The specified network mask is invalid.")]
    [InlineData("Require ip", "'require ip' requires an argument")]
    [InlineData("<RequireAll foo>\nRequire all granted\n</RequireAll>", "<RequireAll> directive doesn't take additional arguments")]
    [InlineData("<RequireAll>\n</RequireAll>", "<RequireAll> directive contains no authorization directives")]
    [InlineData("<RequireAll>\nRequire not ip 10.1\n</RequireAll>", "AH01624: <RequireAll> directive contains only negative authorization directives")]
    [InlineData("AuthMerging sometimes", "AuthMerging must be one of: Off | And | Or")]
    public void BadRulesAreRefusedWithApachesText(string body, string error)
    {
        var e = ConfigFixture.LoadFails("<Directory /srv>\n" + body + "\n</Directory>\n", AuthzCoreModule.Create());
        Assert.Equal(error, e.Reason);
    }

    [Fact]
    public void RequireIsNotAllowedAtServerLevel()
    {
        var e = ConfigFixture.LoadFails("Require all granted\n", AuthzCoreModule.Create());
        Assert.Equal("Require not allowed here", e.Reason);
    }
}
