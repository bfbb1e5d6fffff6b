using System.Collections.Generic;
using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// <c>-t -D DUMP_INCLUDES</c> lists the main file and every file an Include read, with the
/// Include's line and nesting, as Debian's apache2 lists them for the same tree.
/// </summary>
public sealed class DumpIncludesTests
{
    [Fact]
    public void ListsIncludedFilesAsApacheDoes()
    {
        using var tree = new TempConfTree();

        // A nested include, to show the indentation of the second level.
        tree.WriteConf(Path.Combine("conf-enabled", "zz-outer.conf"), "# outer\nInclude conf-available/zz-inner.conf\n");
        tree.WriteConf(Path.Combine("conf-available", "zz-inner.conf"), "# inner\n");

        ProcessResult apache = ProcessRunner.Run("/bin/sh", ["-c", ". \"$APACHE_CONFDIR/envvars\"; exec " + DifferentialApache.Binary + " -d \"$APACHE_CONFDIR\" -t -D DUMP_INCLUDES"],
            new Dictionary<string, string?> { ["APACHE_CONFDIR"] = tree.ConfDir });
        ProcessResult pluma = Pluma.OnTree(tree, "-t", "-D", "DUMP_INCLUDES");

        Assert.Equal(0, apache.ExitCode);
        Assert.Equal(0, pluma.ExitCode);
        Assert.Contains("      (2) " + Path.Combine(tree.ConfDir, "conf-available", "zz-inner.conf") + "\n", apache.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(apache.StandardOutput, pluma.StandardOutput);
        Assert.DoesNotContain("Syntax OK", pluma.StandardError, StringComparison.Ordinal);
    }
}
