using System.Net;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Pipeline;

/// <summary>
/// A keep-alive request for a static file allocates nothing once the worker is warm: no garbage,
/// so no gen0 collection stops the child's threads (with 25 runnable threads on one core such a
/// stop cost the worker MPM 50-80 ms of p99).
/// </summary>
public class AllocationTests
{
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

    [Fact]
    public void AFileTooLargeToBeHeldIsReadWithoutAllocation()
    {
        // Over OpenFileCache.MaxHeldFileSize: read from the cached descriptor into the output buffer each time.
        AssertAllocatesNothing("", null, size: OpenFileCache.MaxHeldFileSize + 1000);
    }

    [Fact]
    public void ALargeFileCopiedWithEnableSendfileOffCostsNoAllocation()
    {
        // Too large for the output buffer, and EnableSendfile is Off (Apache's default): the rest
        // is read into a pooled piece and sent, each time without allocating.
        AssertAllocatesNothing("", null, size: 600_000);
    }

    private static void AssertAllocatesNothing(string logging, string? accessFile, int size = 100)
    {
        using var site = new Site();
        site.Write("small.txt", new string('x', size));
        if (accessFile is not null)
        {
            site.Write(".htaccess", accessFile);
        }

        // The open-file cache keeps a small file's bytes once its times have settled: the warm-up
        // then reads them once, and the measured requests are served from memory, as on a server
        // whose files are not being written.
        DateTime written = DateTime.UtcNow;
        while (DateTime.UtcNow < written + OpenFileCache.SettleTime + TimeSpan.FromMilliseconds(20))
        {
            Thread.Sleep(50);
        }

        site.Configure("<Directory " + site.Root + ">\nRequire all granted\n</Directory>\n" + logging.Replace("{root}", site.Root, StringComparison.Ordinal));
        var c = new AllocationProbe.RepeatingConnection("GET /small.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        AllocationProbe.AssertAllocatesNothing(c, () => site.Serve(c));
    }
}
