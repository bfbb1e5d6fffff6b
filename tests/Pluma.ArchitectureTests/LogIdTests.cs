using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.ArchitectureTests;

/// <summary>
/// Pluma's own log ids (docs/log-ids.md): every id the product uses is registered, none is
/// registered twice, and the next free number is above all of them.
/// </summary>
public sealed partial class LogIdTests
{
    [GeneratedRegex(@"PL\d{5}")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\| (PL\d{5}) \|", RegexOptions.Multiline)]
    private static partial Regex RegistryRow();

    private static string Registry => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "log-ids.md"));

    [Fact]
    public void EveryIdUsedInTheSourceIsRegistered()
    {
        var registered = RegistryRow().Matches(Registry).Select(m => m.Groups[1].Value).ToHashSet();
        var missing = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in IdPattern().Matches(File.ReadAllText(file)))
            {
                if (!registered.Contains(m.Value))
                {
                    missing.Add(m.Value + " in " + Path.GetFileName(file));
                }
            }
        }

        Assert.True(missing.Count == 0, "unregistered log ids: " + string.Join(", ", missing));
    }

    [Fact]
    public void NoIdIsRegisteredTwice()
    {
        var rows = RegistryRow().Matches(Registry).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void NextFreeNumberIsAboveEveryRegisteredIdOfTheMainRange()
    {
        int next = int.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "log-ids.next")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // PL001xx is the MPM's own block; the main range counts up from PL00001.
        int highest = RegistryRow().Matches(Registry).Select(m => int.Parse(m.Groups[1].Value[2..], System.Globalization.CultureInfo.InvariantCulture)).Where(n => n < 100).Max();
        Assert.True(next > highest, $"log-ids.next is {next} but PL{highest:00000} is registered");
    }
}
