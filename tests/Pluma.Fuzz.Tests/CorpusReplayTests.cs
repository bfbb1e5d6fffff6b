using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pluma.Fuzz;
using Pluma.Testing;
using Xunit;

namespace Pluma.Fuzz.Tests;

/// <summary>
/// "Every crash becomes a test": each file under fuzz/corpus/TARGET and fuzz/crashes/TARGET goes
/// through TARGET exactly as afl-fuzz runs it (scripts/fuzz.sh), so a seed that stops passing or
/// a fixed crash that comes back fails here, with the file's name.
/// </summary>
public class CorpusReplayTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string kind in new[] { "corpus", "crashes" })
        {
            foreach (string target in FuzzTargets.All.Keys)
            {
                string dir = Path.Combine(RepositoryPaths.Root, "fuzz", kind, target);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(RepositoryPaths.Root, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void InputKeepsEveryPromiseOfItsTarget(string target, string file) =>
        FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, file)));

    [Fact]
    public void EveryTargetHasSeeds()
    {
        foreach (string target in FuzzTargets.All.Keys)
        {
            string dir = Path.Combine(RepositoryPaths.Root, "fuzz", "corpus", target);
            Assert.True(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any(), "no seeds for " + target);
        }
    }

    [Fact]
    public void SeedsStaySmallForAfl()
    {
        // afl-fuzz spends its time on every seed's deterministic stages: small seeds, fast runs.
        IEnumerable<string> big = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "fuzz", "corpus"), "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length > 4096);
        Assert.Empty(big);
    }
}
