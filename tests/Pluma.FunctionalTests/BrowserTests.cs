using System.Globalization;
using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Headless Chromium against bin/pluma (bundled tree, free loopback port): the start page, a
/// directory listing and a 1 MiB download checked inside the browser.
/// </summary>
public sealed class BrowserTests : IClassFixture<BrowserTests.Server>
{
    private const int BigFileLength = 1024 * 1024;

    private readonly Server _server;

    public BrowserTests(Server server)
    {
        _server = server;
    }

    [Fact]
    public void BrowserRendersTheStartPage()
    {
        string dom = BrowserChromium.DumpDom(_server.Url("/"));
        AssertDomContains("<title>Pluma: It works</title>", dom);
        AssertDomContains("<h1>It works!</h1>", dom);
    }

    [Fact]
    public void BrowserRendersTheDirectoryListing()
    {
        string dom = BrowserChromium.DumpDom(_server.Url("/files/"));
        AssertDomContains("<title>Index of /files</title>", dom);
        AssertDomContains("<a href=\"big.bin\">big.bin</a>", dom);
        AssertDomContains("<a href=\"small.txt\">small.txt</a>", dom);
    }

    [Fact]
    public void BrowserDownloadsTheOneMebibyteFileIntact()
    {
        // fetch.html reads files/big.bin with a synchronous XHR (so --dump-dom waits for it)
        // and writes the status, the length and an FNV-1a of the bytes into the page.
        string dom = BrowserChromium.DumpDom(_server.Url("/fetch.html"));
        byte[] data = File.ReadAllBytes(Path.Combine(_server.Tree.DocumentRoot, "files", "big.bin"));
        string expected = $"status=200 length={BigFileLength} fnv1a={Fnv1a(data).ToString("x", CultureInfo.InvariantCulture)}";
        AssertDomContains($"<p id=\"out\">{expected}</p>", dom);
    }

    /// <summary>Contains, with the whole DOM in the message (Chromium's error page says what went wrong).</summary>
    private static void AssertDomContains(string expected, string dom) =>
        Assert.True(dom.Contains(expected, StringComparison.Ordinal), $"DOM lacks {expected}:\n{dom}");

    private static uint Fnv1a(byte[] data)
    {
        uint h = 2166136261;
        foreach (byte b in data)
        {
            h = unchecked((h ^ b) * 16777619);
        }

        return h;
    }

    /// <summary>One server for the class: the bundled tree plus files/ and the fetch page.</summary>
    public sealed class Server : IDisposable
    {
        // x-user-defined maps each byte to one char (low 8 bits), the classic way to read
        // binary through responseText; a synchronous XHR may not set responseType.
        private const string FetchPage = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>fetch</title></head><body><p id="out">pending</p>
            <script>
            var x = new XMLHttpRequest();
            x.open('GET', '/files/big.bin', false);
            x.overrideMimeType('text/plain; charset=x-user-defined');
            x.send();
            var s = x.responseText, h = 0x811c9dc5;
            for (var i = 0; i < s.length; i++) { h = Math.imul(h ^ (s.charCodeAt(i) & 0xff), 16777619); }
            document.getElementById('out').textContent = 'status=' + x.status + ' length=' + s.length + ' fnv1a=' + (h >>> 0).toString(16);
            </script>
            </body></html>
            """;

        public Server()
        {
            Tree = new TempConfTree();
            string files = Path.Combine(Tree.DocumentRoot, "files");
            Directory.CreateDirectory(files);
            var data = new byte[BigFileLength];
            new Random(7).NextBytes(data);
            File.WriteAllBytes(Path.Combine(files, "big.bin"), data);
            File.WriteAllText(Path.Combine(files, "small.txt"), "hello\n");
            File.WriteAllText(Path.Combine(Tree.DocumentRoot, "fetch.html"), FetchPage);
            try
            {
                Process = PlumaServer.Start(Tree);
            }
            catch
            {
                Tree.Dispose();
                throw;
            }
        }

        public TempConfTree Tree { get; }

        public PlumaServer Process { get; }

        public string Url(string path) => $"http://127.0.0.1:{Tree.Port}{path}";

        public void Dispose()
        {
            Process.Dispose();
            Tree.Dispose();
        }
    }
}
