namespace Pluma.Modules.LogConfig;

/// <summary>A compiled LogFormat: the text it came from and its items in order.</summary>
public sealed record LogFormat(string Text, LogItem[] Items)
{
    /// <summary>Debian's apache2.conf formats, for tests and defaults.</summary>
    public const string Combined = "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"";

    public const string Common = "%h %l %u %t \"%r\" %>s %O";

    public const string VhostCombined = "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"";
}
