using System.Net;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Pipeline;

/// <summary>
/// A keep-alive request for a static file allocates nothing once the worker is warm: no garbage,
/// so no gen0 collection stops the child's threads (with 25 runnable threads on one core such a
/// stop cost the worker MPM 50-80 ms of p99).
/// </summary>
public class AllocationTests
{
    // Small enough to fit in one second on a loaded machine, large enough that an allocation
    // on any path a request takes shows.
    private const int RequestsPerRun = 300;
    private const int MaxAttempts = 50;

    [Theory]
    [InlineData("")]
    // Core's directory walk running: links looked for (Options None) and access files (AllowOverride All).
    [InlineData("<Directory {root}>\nOptions None\nAllowOverride All\n</Directory>\n")]
    [InlineData("LogFormat \"%h %l %u %t \\\"%r\\\" %>s %O \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" combined\nCustomLog logs/access.log combined\n")]
    public void AKeepAliveStaticFileRequestAllocatesNothingOnceWarm(string logging) => AssertAllocatesNothing(logging, null);

    [Fact]
    public void AnAccessFileReadOnceCostsNoAllocationAfterwards()
    {
        // The parsed .htaccess comes from the cache while a stat shows the same file.
        AssertAllocatesNothing("<Directory {root}>\nAllowOverride All\n</Directory>\n", "AddType text/plain .txt\nDirectoryIndex index.html\n");
    }

    /// <summary>
    /// The trees the pipeline benchmark measures (bench/Pluma.Benchmarks/PipelineTree.cs), built
    /// as a child builds them from a copy of the checkout's conf/: the bundled tree is what
    /// <c>make run</c> serves (Debian's module set: deflate's AddOutputFilterByType, setenvif's
    /// BrowserMatch lines, negotiation, two access logs), the peers trees what peers.sh measures.
    /// </summary>
    [Theory]
    [InlineData("bundled")]
    [InlineData("peers")]
    [InlineData("peers-htaccess")]
    public void AKeepAliveStaticFileRequestOnAPipelineTreeAllocatesNothingOnceWarm(string tree)
    {
        using var t = Pluma.Benchmarks.PipelineTree.Build(tree);
        var c = new RepeatingConnection(t.Request("/small.txt"), t.Client, t.Local);
        AssertAllocatesNothing(c, () => t.Handler.Serve(c));
    }

    private static void AssertAllocatesNothing(string logging, string? accessFile)
    {
        using var site = new Site();
        site.Write("small.txt", new string('x', 100));
        if (accessFile is not null)
        {
            site.Write(".htaccess", accessFile);
        }

        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\n" + logging.Replace("{root}", site.Root, StringComparison.Ordinal));
        var c = new RepeatingConnection("GET /small.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        AssertAllocatesNothing(c, () => site.Serve(c));
    }

    private static void AssertAllocatesNothing(RepeatingConnection c, Func<ConnectionStep> serveOne)
    {
        Serve(c, serveOne, 2_000);
        Assert.True(c.LastResponseOk, "the warm-up requests were not answered 200");

        // The Date header and %t are rebuilt once a second (DateHeaderCache, LogTime: under a
        // hundred bytes each). So only a run that starts and ends in one second is judged, right
        // after a request that brought those caches to that second: any byte it allocates is a
        // per-request allocation. A run that crossed a second boundary is measured again.
        long allocated = -1;
        for (int attempt = 0; attempt < MaxAttempts && allocated < 0; attempt++)
        {
            long second = DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond;
            Serve(c, serveOne, 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Serve(c, serveOne, RequestsPerRun);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond == second)
            {
                allocated = bytes;
            }
        }

        Assert.True(allocated >= 0, $"no run of {RequestsPerRun} requests fitted in one second in {MaxAttempts} attempts");
        Assert.True(c.LastResponseOk);
        Assert.Equal(0, allocated);
    }

    private static void Serve(RepeatingConnection c, Func<ConnectionStep> serveOne, int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            c.RequestCount = 0; // a fresh connection each time, as far as MaxKeepAliveRequests goes
            // No Assert.Equal here: xunit's comparers allocate, and this loop is measured.
            if (serveOne() != ConnectionStep.WaitForNextRequest)
            {
                Assert.Fail($"request {i} closed the connection");
            }
        }
    }

    /// <summary>Hands out the same request each time it is asked for input; discards what is sent.</summary>
    private sealed class RepeatingConnection : Connection
    {
        private readonly byte[] _request;

        [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
        public RepeatingConnection(byte[] request, IPEndPoint? remote = null, IPEndPoint? local = null)
        {
            _request = request;
            RemoteEndPoint = remote ?? new IPEndPoint(IPAddress.Loopback, 40000);
            LocalEndPoint = local ?? new IPEndPoint(IPAddress.Loopback, 8080);
        }

        public bool LastResponseOk { get; private set; }

        public override int Receive(Span<byte> buffer, TimeSpan timeout)
        {
            _request.CopyTo(buffer);
            return _request.Length;
        }

        public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
        {
            if (data.StartsWith("HTTP/1.1 "u8))
            {
                LastResponseOk = data[9..].StartsWith("200 "u8);
            }
        }

        public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
        {
        }
    }
}
