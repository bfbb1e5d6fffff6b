using System.IO;
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
}
