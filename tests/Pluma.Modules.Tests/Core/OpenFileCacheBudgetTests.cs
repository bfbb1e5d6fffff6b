using System.IO;
using Pluma.Modules.CoreRequest;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Tests.Core;

/// <summary>
/// The per-process budget of held bytes, alone in its collection: it fills the budget, which the
/// other tests share (one that ran meanwhile would see its file read per request; still correct,
/// but the allocation tests want the steady state).
/// </summary>
[Collection(HeldBytesBudgetCollection.Name)]
public sealed class OpenFileCacheBudgetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pluma-ofc-budget-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheBytesHeldStayWithinTheBudgetAndGoBackWhenForgotten()
    {
        DateTime later = DateTime.UtcNow + OpenFileCache.SettleTime + TimeSpan.FromMinutes(1);
        int files = (int)(OpenFileCache.MaxHeldBytes / OpenFileCache.MaxHeldFileSize) + 8;
        var paths = new string[files];
        int held = 0;
        for (int i = 0; i < files; i++)
        {
            paths[i] = Path.Combine(_dir, i + ".txt");
            File.WriteAllText(paths[i], new string((char)('a' + (i % 26)), OpenFileCache.MaxHeldFileSize));
            using OpenFileCache.OpenFile f = OpenFileCache.Open(paths[i], FileStatus.Of(paths[i]), later);
            held += f.Contents is null ? 0 : 1;
            Assert.True(OpenFileCache.HeldBytes <= OpenFileCache.MaxHeldBytes);
        }

        Assert.True(held <= OpenFileCache.MaxHeldBytes / OpenFileCache.MaxHeldFileSize, held + " files held");
        Assert.True(held > 0);

        long before = OpenFileCache.HeldBytes;
        foreach (string p in paths)
        {
            OpenFileCache.Forget(p);
        }

        Assert.Equal(before - ((long)held * OpenFileCache.MaxHeldFileSize), OpenFileCache.HeldBytes);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeldBytesBudgetCollection
{
    public const string Name = "open-file cache budget";
}
