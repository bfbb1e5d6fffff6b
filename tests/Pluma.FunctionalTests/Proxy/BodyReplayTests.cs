using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Proxy;

/// <summary>
/// A request body is sent to one backend at most: a backend that takes part of the body and
/// then dies gets no second copy, and neither does any other balancer member. Debian's apache2
/// 2.4.71 on the same set-up answers 502 ("Error reading from remote server", AH01102 and
/// AH00898, or AH01084 when the write itself fails) and never tries another member: only a 503
/// from a member that could not be reached fails over.
/// </summary>
public sealed class BodyReplayTests : IClassFixture<BodyReplayTests.Server>
{
    private static readonly byte[] Body = Enumerable.Range(0, 200_000).Select(i => (byte)('a' + (i % 26))).ToArray();

    private readonly Server _s;

    public BodyReplayTests(Server server)
    {
        _s = server;
    }

    private HttpResponseText Post(string target, bool chunked)
    {
        using var c = new RawHttp(_s.Tree.Port);
        string framing = chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {Body.Length}\r\n";
        c.Send($"POST {target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n{framing}Connection: close\r\n\r\n");
        // The body goes from its own task: the server may answer before it took all of it.
        Task sending = Task.Run(() =>
        {
            try
            {
                if (!chunked)
                {
                    c.Send(Body);
                    return;
                }

                for (int i = 0; i < Body.Length; i += 8192)
                {
                    int n = Math.Min(8192, Body.Length - i);
                    c.Send(Encoding.ASCII.GetBytes(n.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
                    c.Send(Body.AsSpan(i, n).ToArray());
                    c.Send("\r\n");
                }

                c.Send("0\r\n\r\n");
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        HttpResponseText r = c.ReadResponse();
        sending.Wait(TimeSpan.FromSeconds(10));
        return r;
    }

    private int Seen(TestBackend b, string target) => b.Requests.Count(q => q.Target == target);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BalancerNeverReplaysAStartedBodyToTheOtherMember(bool chunked)
    {
        for (int i = 0; i < 4; i++)
        {
            string path = $"/die-mid-body/{chunked}/{i}";
            HttpResponseText r = Post("/bal" + path, chunked);
            Assert.Equal(502, r.Status);
            Assert.Equal(1, Seen(_s.A, path) + Seen(_s.B, path));
        }

        // Both members served a dying request (byrequests alternates) and neither was put in error state for it.
        Assert.Contains(_s.A.Requests, q => q.Target.StartsWith($"/die-mid-body/{chunked}/", StringComparison.Ordinal));
        Assert.Contains(_s.B.Requests, q => q.Target.StartsWith($"/die-mid-body/{chunked}/", StringComparison.Ordinal));
        Assert.DoesNotContain("AH00959", _s.Tree.ErrorLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SingleBackendGetsTheBodyOnceEvenOnAPooledConnection(bool chunked)
    {
        // A first request leaves a pooled keep-alive connection, the one a retry would replace.
        using (var c = new RawHttp(_s.Tree.Port))
        {
            c.Send("GET /single/echo/warm HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, c.ReadResponse().Status);
        }

        string path = $"/die-mid-body/single/{chunked}";
        HttpResponseText r = Post("/single" + path, chunked);
        Assert.Equal(502, r.Status);
        Assert.Equal(1, Seen(_s.C, path));

        // The backend is not held in error for a request that reached it (retry=0 or not): the next one is served.
        using var next = new RawHttp(_s.Tree.Port);
        next.Send("GET /single/echo/after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, next.ReadResponse().Status);
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            A = new TestBackend();
            B = new TestBackend();
            C = new TestBackend();
            Tree = new TempConfTree();
            Tree.WriteConf(Path.Combine("mods-available", "mpm_event.conf"),
                "<IfModule mpm_event_module>\nStartServers 1\nServerLimit 1\nMinSpareThreads 1\nMaxSpareThreads 25\nThreadsPerChild 25\nMaxRequestWorkers 25\n</IfModule>\n");
            Tree.AppendToMainConfig(
                "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n" +
                "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so\n" +
                "LoadModule lbmethod_byrequests_module /usr/lib/apache2/modules/mod_lbmethod_byrequests.so\n" +
                "LoadModule proxy_balancer_module /usr/lib/apache2/modules/mod_proxy_balancer.so\n" +
                "LogLevel warn\n" +
                $"<Proxy \"balancer://two\">\n  BalancerMember http://127.0.0.1:{A.Port}\n  BalancerMember http://127.0.0.1:{B.Port}\n  ProxySet maxattempts=3\n</Proxy>\n" +
                "ProxyPass /bal balancer://two\n" +
                $"ProxyPass /single http://127.0.0.1:{C.Port} retry=0\n");
            Process = PlumaServer.Start(Tree);
        }

        public TestBackend A { get; }

        public TestBackend B { get; }

        public TestBackend C { get; }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
            A.Dispose();
            B.Dispose();
            C.Dispose();
        }
    }
}
