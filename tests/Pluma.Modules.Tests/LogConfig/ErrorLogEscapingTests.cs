using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.Tests.LogConfig;

/// <summary>The error log escapes every message as Apache's log.c does (ap_escape_errorlog_item).</summary>
public class ErrorLogEscapingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ANewlineFromTheClientCannotForgeASecondLine()
    {
        string line = ErrorLogFormat.FormatLine(s_now, LogLevel.Error, "authz_core", 7, 8,
            "AH01630: client denied by server configuration: /srv/priv/x\n[Sat Dec 05 00:00:00 2026] [core:emerg] FAKE", "127.0.0.1:5");
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("/srv/priv/x\\n[Sat Dec 05 00:00:00 2026] [core:emerg] FAKE\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlQuoteBackslashAndNonAsciiAreWrittenAsApacheWritesThem()
    {
        // apache2 2.4.71 for the path /priv/a%1bb%09c%22d%5ce%c3%a9f%7f%0d%0b%08:
        // .../priv/a\x1bb\tc"d\\e\xc3\xa9f\x7f\r\v\b ('"' stays: "no need for this in error log").
        string line = ErrorLogFormat.FormatLine(s_now, LogLevel.Error, "core", 1, 1, "a\u001bb\tc\"d\\e\u00e9f\u007f\r\v\b", null);
        Assert.EndsWith("] a\\x1bb\\tc\"d\\\\e\\xc3\\xa9f\\x7f\\r\\v\\b\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void APlainMessageIsWrittenAsItIs()
    {
        string line = ErrorLogFormat.FormatLine(s_now, LogLevel.Notice, "mpm_event", 1, 1, "AH00489: Pluma/0.1.0 (Unix) configured -- resuming normal operations", null);
        Assert.EndsWith("] AH00489: Pluma/0.1.0 (Unix) configured -- resuming normal operations\n", line, StringComparison.Ordinal);
    }
}
