using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Fcgi;

/// <summary>proxy_fcgi directives Pluma refuses at -t and start-up rather than honour halfway, with file and line.</summary>
public sealed class FcgiConfigTests
{
    [Theory]
    [InlineData("ProxyFCGISetEnvIf \"reqenv('x') =~ /(a)/\" SCRIPT_NAME \"$1\"", "SCRIPT_NAME \"$1\"")]
    [InlineData("ProxyFCGISetEnvIf true PATH_X \"/p/$9/%{REQUEST_URI}\"", "PATH_X \"/p/$9/%{REQUEST_URI}\"")]
    public void SetEnvIfWithRegexGroupsIsRefusedWithPl00370(string directive, string shown)
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig(
            "Include mods-available/proxy.load\nInclude mods-available/proxy_fcgi.load\n" +
            "<Location /app/>\n  " + directive + "\n</Location>");
        int line = File.ReadAllLines(Path.Combine(tree.ConfDir, "apache2.conf")).Length - 1;
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"AH00526: Syntax error on line {line} of {tree.ConfDir}/apache2.conf:\nPL00370: ProxyFCGISetEnvIf {shown}: $1-$9 (the condition's regex groups) are not built in Pluma's ap_expr; refused rather than sent as written\n", r.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void SetEnvIfWithoutGroupsIsAccepted()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig(
            "Include mods-available/proxy.load\nInclude mods-available/proxy_fcgi.load\n" +
            "<Location /app/>\n  ProxyFCGISetEnvIf \"true\" SCRIPT_NAME \"/x%{REQUEST_URI}\"\n</Location>");
        ProcessResult r = Pluma.OnTree(tree, "-t");
        Assert.Equal(0, r.ExitCode);
    }
}
