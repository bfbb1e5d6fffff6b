using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Proxy;

/// <summary>
/// mod_proxy_balancer with mod_lbmethod_byrequests and bybusyness end to end: the real bin/pluma
/// (one event child, so that one set of member states serves every request) in front of two
/// <see cref="TestBackend"/>s and two ports nothing listens on. Expected log lines are Debian's
/// apache2 2.4.71's on the same configuration.
/// </summary>
public sealed class BalancerTests : IClassFixture<BalancerTests.Server>
{
    private readonly Server _s;

    public BalancerTests(Server server)
    {
        _s = server;
    }

    private HttpResponseText Get(string target, string headers = "")
    {
        using var c = new RawHttp(_s.Tree.Port);
        c.Send($"GET {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
        return c.ReadResponse();
    }

    private (int A, int B) Count(Action act)
    {
        int a = _s.A.Requests.Count, b = _s.B.Requests.Count;
        act();
        return (_s.A.Requests.Count - a, _s.B.Requests.Count - b);
    }

    [Fact]
    public void ByRequestsFollowsTheLoadFactors()
    {
        (int a, int b) = Count(() =>
        {
            for (int i = 0; i < 30; i++)
            {
                Assert.Equal(200, Get("/two/echo/" + i).Status);
            }
        });
        Assert.Equal((10, 20), (a, b));
        Assert.Contains(_s.A.Requests, q => q.Target == "/echo/0" || q.Target == "/echo/1");
    }

    [Fact]
    public void MemberThatCannotBeReachedIsPutInErrorStateAndTheRequestGoesOn()
    {
        (int a, int b) = Count(() =>
        {
            for (int i = 0; i < 6; i++)
            {
                HttpResponseText r = Get("/failover/echo/f" + i);
                Assert.Equal(200, r.Status);
                Assert.StartsWith("GET /echo/f" + i + " ", r.BodyText, StringComparison.Ordinal);
            }
        });
        Assert.Equal((6, 0), (a, b)); // the hot standby is not needed while the other member serves
        string log = _s.Tree.ErrorLog;
        Assert.Contains($"(111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:{_s.Down} (127.0.0.1:{_s.Down}) failed", log, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(log, Regex.Escape($"AH00959: ap_proxy_connect_backend disabling worker for (127.0.0.1:{_s.Down}) for 30s")));
        Assert.Contains("AH01114: HTTP: failed to make connection to backend: 127.0.0.1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void HotStandbyServesWhenTheOthersAreDown()
    {
        (int a, int b) = Count(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(200, Get("/standby/echo/s" + i).Status);
            }
        });
        Assert.Equal((0, 3), (a, b));
    }

    [Fact]
    public void MemberIsTriedAgainAfterItsRetrySeconds()
    {
        string line = $"AH00959: ap_proxy_connect_backend disabling worker for (127.0.0.1:{_s.Down2}) for 1s";
        Assert.Equal(200, Get("/comeback/echo/1").Status);
        Assert.Equal(200, Get("/comeback/echo/2").Status);
        Assert.Equal(200, Get("/comeback/echo/3").Status);
        Assert.Single(Regex.Matches(_s.Tree.ErrorLog, Regex.Escape(line)));
        Thread.Sleep(1500);
        Assert.Equal(200, Get("/comeback/echo/4").Status);
        Assert.Equal(200, Get("/comeback/echo/5").Status);
        Assert.Equal(2, Regex.Count(_s.Tree.ErrorLog, Regex.Escape(line)));
    }

    [Fact]
    public void AllMembersDownGives503WithApachesLines()
    {
        HttpResponseText first = Get("/alldown/x");
        Assert.Equal(503, first.Status);
        Assert.Contains("<title>503 Service Unavailable</title>", first.BodyText, StringComparison.Ordinal);
        HttpResponseText second = Get("/alldown/y");
        Assert.Equal(503, second.Status);
        string log = _s.Tree.ErrorLog;
        Assert.Matches(@"\[proxy_balancer:error\] \[pid \d+:tid \d+\] \[client 127\.0\.0\.1:\d+\] AH01170: balancer://alldown: All workers are in error state", log);
        Assert.Contains($"AH00959: ap_proxy_connect_backend disabling worker for (127.0.0.1:{_s.Down3}) for 30s", log, StringComparison.Ordinal);
    }

    [Fact]
    public void StickySessionCookieKeepsTheRoute()
    {
        (int a, int b) = Count(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(200, Get("/sticky/echo/c" + i, "Cookie: other=1; JSESSIONID=abc123.b\r\n").Status);
            }
        });
        Assert.Equal((0, 5), (a, b));
        (a, b) = Count(() => Assert.Equal(200, Get("/sticky/echo/u;JSESSIONID=zz.a").Status));
        Assert.Equal((1, 0), (a, b));
    }

    [Fact]
    public void BalancerManagerIsRefused()
    {
        Assert.Equal(500, Get("/balancer-manager").Status);
        Assert.Contains("PL00380: the balancer-manager handler is not built in Pluma; the request is refused", _s.Tree.ErrorLog, StringComparison.Ordinal);
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            A = new TestBackend();
            B = new TestBackend();
            Down = FreePort.Next();
            Down2 = FreePort.Next();
            Down3 = FreePort.Next();
            Down4 = FreePort.Next();
            Tree = new TempConfTree();
            Tree.WriteConf(Path.Combine("mods-available", "mpm_event.conf"),
                "<IfModule mpm_event_module>\nStartServers 1\nServerLimit 1\nMinSpareThreads 1\nMaxSpareThreads 25\nThreadsPerChild 25\nMaxRequestWorkers 25\n</IfModule>\n");
            string a = $"http://127.0.0.1:{A.Port}", b = $"http://127.0.0.1:{B.Port}";
            Tree.AppendToMainConfig(
                "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n" +
                "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n" +
                "LoadModule lbmethod_byrequests_module /usr/lib/apache2/modules/mod_lbmethod_byrequests.so\n" +
                "LoadModule lbmethod_bybusyness_module /usr/lib/apache2/modules/mod_lbmethod_bybusyness.so\n" +
                "LoadModule proxy_balancer_module /usr/lib/apache2/modules/mod_proxy_balancer.so\n" +
                "LogLevel warn\n" +
                $"<Proxy \"balancer://two\">\n  BalancerMember {a} route=a\n  BalancerMember {b} route=b loadfactor=2\n</Proxy>\n" +
                "ProxyPass /two balancer://two\n" +
                $"<Proxy \"balancer://failover\">\n  BalancerMember http://127.0.0.1:{Down} retry=30\n  BalancerMember {a}\n  BalancerMember {b} status=+H\n</Proxy>\n" +
                "ProxyPass /failover balancer://failover\n" +
                $"<Proxy balancer://standby>\n  BalancerMember http://127.0.0.1:{Down4} retry=30\n  BalancerMember {b} status=+H\n</Proxy>\n" +
                "ProxyPass /standby balancer://standby\n" +
                $"<Proxy balancer://comeback>\n  BalancerMember http://127.0.0.1:{Down2} retry=1\n  BalancerMember {a}\n</Proxy>\n" +
                "ProxyPass /comeback balancer://comeback\n" +
                $"<Proxy balancer://alldown>\n  BalancerMember http://127.0.0.1:{Down3} retry=30\n  BalancerMember http://127.0.0.1:{Down3}/other retry=30\n  ProxySet forcerecovery=Off\n</Proxy>\n" +
                "ProxyPass /alldown balancer://alldown\n" +
                $"BalancerMember balancer://sticky {a} route=a\nBalancerMember balancer://sticky {b} route=b\n" +
                "ProxySet balancer://sticky stickysession=JSESSIONID lbmethod=bybusyness\n" +
                "ProxyPass /sticky balancer://sticky\n" +
                "<Location /balancer-manager>\n  SetHandler balancer-manager\n</Location>\n");
            Process = PlumaServer.Start(Tree);
        }

        public TestBackend A { get; }

        public TestBackend B { get; }

        public int Down { get; }

        public int Down2 { get; }

        public int Down3 { get; }

        public int Down4 { get; }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
            A.Dispose();
            B.Dispose();
        }
    }
}
