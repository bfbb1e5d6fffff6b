using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Every <c>-t -D DUMP_*</c> form Apache's core knows (and -M, -S), on the same tree with a
/// name-based virtual host added, against Debian's apache2: the same text once the tree's path
/// and port are replaced (DUMP_CERTS and DUMP_CA_CERTS belong to mod_ssl, DUMP_CONFIG to
/// mod_info).
/// </summary>
public sealed class DifferentialDumpTests
{
    [Theory]
    [InlineData("-t", "-D", "DUMP_MODULES")]
    [InlineData("-M")]
    [InlineData("-t", "-D", "DUMP_VHOSTS")]
    [InlineData("-t", "-D", "DUMP_RUN_CFG")]
    [InlineData("-S")]
    [InlineData("-t", "-D", "DUMP_INCLUDES")]
    [InlineData("-t", "-D", "DUMP_VHOSTS", "-D", "DUMP_MODULES")]
    public void PrintsWhatDebiansApachePrints(params string[] args)
    {
        using var tree = new TempConfTree();
        string port = tree.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        tree.WriteConf(Path.Combine("sites-enabled", "named.conf"),
            "<VirtualHost *:" + port + ">\nServerName named.test\nServerAlias *.named.test\n</VirtualHost>\n" +
            "<VirtualHost 127.0.0.1:" + port + ">\nServerName exact.test:81\n</VirtualHost>\n");
        tree.AppendToMainConfig("ServerName main.test");
        ProcessResult apache = ProcessRunner.Run("/bin/sh", ["-c", ". \"$APACHE_CONFDIR/envvars\"; exec " + DifferentialApache.Binary + " -d \"$APACHE_CONFDIR\" \"$@\"", "sh", .. args],
            new Dictionary<string, string?> { ["APACHE_CONFDIR"] = tree.ConfDir });
        ProcessResult pluma = Pluma.OnTree(tree, args);
        Assert.Equal(apache.ExitCode, pluma.ExitCode);
        Assert.Equal(Normalize(tree, apache.StandardOutput), Normalize(tree, pluma.StandardOutput));
    }

    // Apache lists its mutexes from a hash whose order changes from run to run: compared sorted.
    private static string Normalize(TempConfTree tree, string text)
    {
        string[] lines = text.Replace(tree.Top, "TOP", StringComparison.Ordinal)
            .Replace("apache2", "SERVER", StringComparison.Ordinal).Replace("pluma", "SERVER", StringComparison.Ordinal).Split('\n');
        IEnumerable<string> mutexes = lines.Where(l => l.StartsWith("Mutex ", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        return string.Join('\n', lines.Where(l => !l.StartsWith("Mutex ", StringComparison.Ordinal)).Concat(mutexes));
    }
}
