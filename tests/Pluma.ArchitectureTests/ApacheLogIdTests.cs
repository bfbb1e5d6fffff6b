using System.Collections.Generic;
using System.Text.RegularExpressions;
using Pluma.ArchitectureTests.Support;
using Xunit;

namespace Pluma.ArchitectureTests;

/// <summary>
/// Apache's AH ids are written out where they are logged ("AH00513: ..."), so that searching the
/// source for an id from a log line lands on the line that writes it. No code builds an AH id
/// from a number.
/// </summary>
public sealed partial class ApacheLogIdTests
{
    // "AH" + n, $"AH{n:D5}", "AH{0:00000}", "AH" followed by anything but five digits inside a
    // literal, and any helper whose parameter is the number (Ah(int n)).
    [GeneratedRegex(@"""AH(?!\d{5})|\$@?""[^""\n]*\bAH\{|\bAh\s*\(\s*int\b|AH""\s*\+")]
    private static partial Regex ComputedId();

    [Fact]
    public void EveryApacheIdIsWrittenLiterally()
    {
        var failures = new List<string>();
        foreach (SourceFile file in SourceTree.Files)
        {
            foreach (Match m in ComputedId().Matches(file.Text))
            {
                failures.Add($"{file.RelativePath}:{CSharpCode.LineOf(file.Text, m.Index)}: {m.Value}");
            }
        }

        Assert.True(failures.Count == 0, "AH ids built from numbers; write \"AH0xxxx: \" where the line is logged:" + CSharpCode.Describe(failures));
    }

    [Fact]
    public void ThePatternCatchesAComputedId()
    {
        // The pattern must see what it forbids (the MPM's helper of today, an interpolated id)
        // and leave a literal id alone.
        Assert.Matches(ComputedId(), "protected static string Ah(int number) => \"AH\" + number.ToString(\"D5\");");
        Assert.Matches(ComputedId(), "string id = $\"AH{n:D5}: \";");
        Assert.DoesNotMatch(ComputedId(), "Log(\"AH00513: ...\");");
    }
}
