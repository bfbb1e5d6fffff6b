using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// HEAD is GET for &lt;Limit&gt;, &lt;LimitExcept&gt; and Require method (issue 9, finding 9):
/// httpd compares method numbers and gives HEAD the number M_GET. Each answer below is what
/// Debian's apache2 2.4.71 gave on the same sections.
/// </summary>
public sealed class LimitHeadTests : IClassFixture<LimitHeadTests.Server>
{
    private readonly Server _server;

    public LimitHeadTests(Server server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("GET", "/limit-get-post/f.txt", 403)]
    [InlineData("HEAD", "/limit-get-post/f.txt", 403)]
    [InlineData("GET", "/limit-head/f.txt", 403)] // <Limit HEAD> is <Limit GET>
    [InlineData("HEAD", "/limit-head/f.txt", 403)]
    [InlineData("GET", "/limit-except-get/f.txt", 200)]
    [InlineData("HEAD", "/limit-except-get/f.txt", 200)]
    [InlineData("OPTIONS", "/limit-except-get/f.txt", 403)]
    [InlineData("GET", "/require-method-get/f.txt", 200)]
    [InlineData("HEAD", "/require-method-get/f.txt", 200)]
    [InlineData("OPTIONS", "/require-method-get/f.txt", 403)]
    public void HeadCountsAsGet(string method, string path, int expected)
    {
        using var c = new RawHttp(_server.Tree.Port);
        c.Send($"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(expected, c.ReadResponse(headRequest: method == "HEAD").Status);
    }

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Tree = new TempConfTree();
            string root = Tree.DocumentRoot;
            foreach (string dir in new[] { "limit-get-post", "limit-head", "limit-except-get", "require-method-get" })
            {
                Directory.CreateDirectory(Path.Combine(root, dir));
                File.WriteAllText(Path.Combine(root, dir, "f.txt"), "hi\n");
            }

            Tree.AppendToMainConfig(
                $"<Directory {root}/limit-get-post>\n<Limit GET POST>\nOrder deny,allow\nDeny from all\n</Limit>\n</Directory>\n" +
                $"<Directory {root}/limit-head>\n<Limit HEAD>\nRequire all denied\n</Limit>\n</Directory>\n" +
                $"<Directory {root}/limit-except-get>\n<LimitExcept GET>\nRequire all denied\n</LimitExcept>\n</Directory>\n" +
                $"<Directory {root}/require-method-get>\nRequire method GET\n</Directory>");
            Process = PlumaServer.Start(Tree);
        }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
        }
    }
}
