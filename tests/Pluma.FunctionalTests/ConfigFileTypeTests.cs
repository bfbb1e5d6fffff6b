using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Include of anything but a regular file is refused as httpd's ap_pcfg_openfile refuses it
/// (issue 9, finding 10): /dev/zero was read without end. The texts are Debian's apache2
/// 2.4.71's for the same lines (apache2 -t); /dev/null is allowed.
/// </summary>
public sealed class ConfigFileTypeTests
{
    [Theory]
    [InlineData("Include")]
    [InlineData("IncludeOptional")]
    public void DeviceIsRefusedPromptlyWithAH00554(string directive)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig(directive + " /dev/zero");
        string main = Path.Combine(tree.ConfDir, "apache2.conf");
        int line = File.ReadAllLines(main).Length;

        var sw = Stopwatch.StartNew();
        ProcessResult r = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tree.ConfDir, "-t"], timeoutMs: 30_000);
        Assert.True(sw.ElapsedMilliseconds < 20_000, "pluma -t took " + sw.ElapsedMilliseconds + " ms");
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(
            new Regex(@"^\[[^\]]+\] \[core:error\] \[pid \d+:tid \d+\] AH00554: Access to file /dev/zero denied by server: not a regular file\n" +
                "pluma: Syntax error on line " + line + " of " + Regex.Escape(main) + @": Could not open configuration file /dev/zero: Bad file descriptor\n$"),
            r.StandardError);
    }

    [Fact]
    public void DevNullIsAnEmptyFile()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("Include /dev/null");
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("Syntax OK\n", r.StandardError);
    }

    [Fact]
    public void FifoIsRefusedWithoutWaitingForAWriter()
    {
        // apache2 opens before it looks and hangs on a FIFO with no writer; Pluma looks first.
        using var tree = new TempConfTree();
        string fifo = Path.Combine(tree.Top, "fifo.conf");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [fifo]).ExitCode);
        tree.AppendToMainConfig("Include " + fifo);
        ProcessResult r = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tree.ConfDir, "-t"], timeoutMs: 30_000);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("AH00554: Access to file " + fifo + " denied by server: not a regular file\n", r.StandardError);
        Assert.Contains(": Could not open configuration file " + fifo + ": Bad file descriptor\n", r.StandardError);
    }

    [Fact]
    public void MainFileThatIsADeviceIsRefused()
    {
        using var tree = new TempConfTree();
        ProcessResult r = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tree.ConfDir, "-f", "/dev/zero", "-t"], timeoutMs: 30_000);
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(
            new Regex(@"^\[[^\]]+\] \[core:error\] \[pid \d+:tid \d+\] AH00554: Access to file /dev/zero denied by server: not a regular file\n" +
                @"pluma: Could not open configuration file /dev/zero: Bad file descriptor\n$"),
            r.StandardError);
    }

    [Fact]
    public void FileLargerThanTheBoundIsRefused()
    {
        using var tree = new TempConfTree();
        string big = Path.Combine(tree.Top, "big.conf");
        using (var f = new FileStream(big, FileMode.Create))
        {
            f.SetLength((64L << 20) + 1); // sparse: no disk used
        }

        tree.AppendToMainConfig("Include " + big);
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PL00020: Access to file " + big + " denied: larger than the 64 MiB Pluma reads for a configuration file\n", r.StandardError);
        Assert.Contains(": Could not open configuration file " + big + ": File too large\n", r.StandardError);
    }
}
