using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Pluma.Modules.Core;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Tests.Core;

public sealed class OpenFileCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pluma-ofc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(64, 16)]
    [InlineData(1024, 256)]
    [InlineData(1_048_576, 1024)]
    [InlineData(3, 0)]
    public void CapacityIsAQuarterOfTheDescriptorLimitAtMost1024(long limit, int capacity) =>
        Assert.Equal(capacity, OpenFileCache.CapacityFor(limit));

    [Fact]
    public void AReplacedVersionIsClosedWhenItsLastResponseIsDone()
    {
        string path = Path.Combine(_dir, "v.txt");
        File.WriteAllText(path, "one");
        OpenFileCache.OpenFile first = OpenFileCache.Open(path, FileStatus.Of(path));
        // Rewritten in place (same inode): a new size and times make it a new version.
        File.WriteAllText(path, "two!");
        using (OpenFileCache.OpenFile second = OpenFileCache.Open(path, FileStatus.Of(path)))
        {
            Assert.NotSame(first.Handle, second.Handle);
            // Still in use by the first response: not closed under it.
            Assert.False(first.Handle.IsClosed);
            Assert.Equal(4, RandomAccess.Read(first.Handle, new byte[8], 0));
        }

        first.Dispose();
        Assert.True(first.Handle.IsClosed);
    }

    [Fact]
    public void TheSameVersionSharesOneDescriptor()
    {
        string path = Path.Combine(_dir, "same.txt");
        File.WriteAllText(path, "same");
        using OpenFileCache.OpenFile a = OpenFileCache.Open(path, FileStatus.Of(path));
        using OpenFileCache.OpenFile b = OpenFileCache.Open(path, FileStatus.Of(path));
        Assert.Same(a.Handle, b.Handle);
    }

    [Fact]
    public async Task ReadersNeverSeeAClosedDescriptorWhileTheFileChanges()
    {
        string path = Path.Combine(_dir, "busy.txt");
        File.WriteAllText(path, "0");
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                File.AppendAllText(path, "x");
            }
        });

        Parallel.For(0, 4, _ =>
        {
            var buffer = new byte[16];
            for (int i = 0; i < 2_000; i++)
            {
                using OpenFileCache.OpenFile f = OpenFileCache.Open(path, FileStatus.Of(path));
                // Throws ObjectDisposedException if another thread closed the handle under us.
                _ = RandomAccess.Read(f.Handle, buffer, 0);
            }
        });
        stop.Cancel();
        await writer;
    }

    // The held-bytes path: Open is given a time well after the files' last change (settled).
    private static DateTime Later => DateTime.UtcNow + OpenFileCache.SettleTime + TimeSpan.FromMinutes(1);

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="name"/> in the test's directory and
    /// serves it once, settled: the cache now holds that version's bytes. Returns its path.
    /// </summary>
    private string WriteAndServeSettled(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        using OpenFileCache.OpenFile served = OpenFileCache.Open(path, FileStatus.Of(path), Later);
        Assert.Equal(Encoding.UTF8.GetBytes(text), served.Contents);
        return path;
    }

    [Fact]
    public void ASmallSettledFileIsHeldAndSharedByItsRequests()
    {
        string path = Path.Combine(_dir, "held.txt");
        File.WriteAllText(path, "held bytes");
        using OpenFileCache.OpenFile a = OpenFileCache.Open(path, FileStatus.Of(path), Later);
        using OpenFileCache.OpenFile b = OpenFileCache.Open(path, FileStatus.Of(path), Later);
        Assert.Equal("held bytes"u8.ToArray(), a.Contents);
        Assert.Same(a.Contents, b.Contents);
    }

    [Fact]
    public void AFileChangedWithinTheSettleTimeIsReadPerRequest()
    {
        string path = Path.Combine(_dir, "fresh.txt");
        File.WriteAllText(path, "just written");
        using OpenFileCache.OpenFile f = OpenFileCache.Open(path, FileStatus.Of(path), DateTime.UtcNow);
        Assert.Null(f.Contents);
        using OpenFileCache.OpenFile settled = OpenFileCache.Open(path, FileStatus.Of(path), Later);
        Assert.Equal("just written"u8.ToArray(), settled.Contents);
    }

    [Fact]
    public void AFileRewrittenInPlaceWithTheSameSizeAndMtimeIsServedNew()
    {
        string path = WriteAndServeSettled("rewritten.txt", "version 1");
        DateTime mtime = File.GetLastWriteTimeUtc(path);
        Thread.Sleep(20); // past a kernel tick: the change time moves
        using (var s = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            s.Write("version 2"u8);
        }

        File.SetLastWriteTimeUtc(path, mtime); // same inode, size and mtime: only ctime tells
        FileStatus st = FileStatus.Of(path);
        Assert.Equal(mtime, st.LastWriteUtc);
        using OpenFileCache.OpenFile now = OpenFileCache.Open(path, st, Later);
        Assert.Equal("version 2"u8.ToArray(), now.Contents);
    }

    [Fact]
    public void AReplacedFileIsServedNew()
    {
        string path = WriteAndServeSettled("replaced.txt", "old file");
        string next = Path.Combine(_dir, "replaced.next");
        File.WriteAllText(next, "new file");
        File.Move(next, path, overwrite: true);
        using OpenFileCache.OpenFile f = OpenFileCache.Open(path, FileStatus.Of(path), Later);
        Assert.Equal("new file"u8.ToArray(), f.Contents);
    }

    [Fact]
    public void AFileThatGrowsPastTheBoundIsReadFromItsDescriptor()
    {
        string path = WriteAndServeSettled("grows.txt", "small");
        File.AppendAllText(path, new string('x', OpenFileCache.MaxHeldFileSize));
        FileStatus st = FileStatus.Of(path);
        using OpenFileCache.OpenFile big = OpenFileCache.Open(path, st, Later);
        Assert.Null(big.Contents);
        var bytes = new byte[st.Size];
        Assert.Equal(st.Size, RandomAccess.Read(big.Handle, bytes, 0));
        Assert.Equal((byte)'s', bytes[0]);
        Assert.Equal((byte)'x', bytes[^1]);
    }

    [Fact]
    public void OnlyRegularFilesAreHeld()
    {
        // /dev/null: a character device stat'ed at size 0; nothing to hold, nothing read.
        using OpenFileCache.OpenFile f = OpenFileCache.Open("/dev/null", FileStatus.Of("/dev/null"), Later);
        Assert.Null(f.Contents);
    }

    [Fact]
    public void NoRequestTimeMeansNotSettled()
    {
        string path = Path.Combine(_dir, "notime.txt");
        File.WriteAllText(path, "no time");
        using OpenFileCache.OpenFile f = OpenFileCache.Open(path, FileStatus.Of(path), DateTime.MinValue);
        Assert.Null(f.Contents);
    }
}
