using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests.Tls;

/// <summary>
/// mod_ssl's LogFormat letters (issue 12): <c>%{VAR}x</c> and <c>%{...}c</c> print what the
/// client negotiated over TLS, "-" and HTTPS "off" over plain HTTP, as Debian's apache2 prints
/// them for the same format; without ssl_module the letters are unknown, as in Apache.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsLogFormatTests
{
    private const string Format = "%{SSL_PROTOCOL}x|%{SSL_CIPHER}x|%{HTTPS}x|%{version}c|%{cipher}c|%{subjectdn}c|%{errcode}c|%{SSL_CLIENT_VERIFY}x|%{SSL_TLS_SNI}x|%{NOPE}x|%x|%{SSL_SERVER_S_DN}x|%{HTTP_HOST}x|%{SSL_SECURE_RENEG}x";

    [Theory]
    [InlineData("event")]
    [InlineData("prefork")]
    public void LogsTheNegotiatedProtocolAndCipherAsApacheDoes(string mpm)
    {
        using var tls = new TlsTree(mpm);
        (string cert, string key) = tls.Certificate("site", ["site.test"]);
        string log = Path.Combine(tls.Tree.LogDir, "tls.log");
        string customLog = "CustomLog " + log + " \"" + Format + "\"\n";
        string defaultSite = Path.Combine(tls.Tree.ConfDir, "sites-enabled", "000-default.conf");
        File.WriteAllText(defaultSite, File.ReadAllText(defaultSite).Replace("</VirtualHost>", customLog + "</VirtualHost>", StringComparison.Ordinal));
        tls.NamedSite("site.test", cert, key, "hello\n", customLog);
        using var server = tls.Start();

        var seen = new System.Collections.Generic.List<(string Protocol, string Cipher)>();
        foreach (string flag in new[] { "-tls1_2", "-tls1_3" })
        {
            ProcessResult r = tls.SClient([flag, "-servername", "site.test"], "GET /index.html HTTP/1.0\r\nHost: site.test\r\n\r\n");
            Assert.True(r.ExitCode == 0, r.Combined);
            Match m = Regex.Match(r.StandardOutput, @"\nNew, (TLSv1\.[23]), Cipher is (\S+)\n", RegexOptions.None, TimeSpan.FromSeconds(1));
            Assert.True(m.Success, r.StandardOutput);
            seen.Add((m.Groups[1].Value, m.Groups[2].Value));
        }

        ProcessResult plain = ProcessRunner.Run("curl", ["-sS", "--max-time", "10", "-H", "Host: plain.test", "http://127.0.0.1:" + tls.Tree.Port + "/"]);
        Assert.True(plain.ExitCode == 0, plain.Combined);

        string[] lines = WaitForLines(log, 3);
        for (int i = 0; i < 2; i++)
        {
            (string protocol, string cipher) = seen[i];
            Assert.Equal($"{protocol}|{cipher}|on|{protocol}|{cipher}|-|-|NONE|site.test|-|-|CN=site.test|site.test|true", lines[i]);
        }

        Assert.Equal("-|-|off|-|-|-|-|-|-|-|-|-|plain.test|-", lines[2]);
    }

    [Fact]
    public void WithoutSslModuleTheLettersAreUnknown()
    {
        using var tree = new TempConfTree();
        tree.AppendToMainConfig("LogFormat \"%h %{SSL_PROTOCOL}x\" tlsfmt");
        ProcessResult r = ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tree.ConfDir, "-t"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Unrecognized LogFormat directive %x", r.StandardError);
    }

    private static string[] WaitForLines(string path, int count)
    {
        string[] lines = [];
        for (int i = 0; i < 100; i++)
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            if (lines.Length >= count)
            {
                return lines;
            }

            Thread.Sleep(100);
        }

        Assert.Fail("expected " + count + " lines in " + path + ", got:\n" + string.Join('\n', lines));
        return lines;
    }
}
