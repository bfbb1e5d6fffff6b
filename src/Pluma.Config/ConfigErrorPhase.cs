namespace Pluma.Config;

/// <summary>
/// When a configuration error was found. httpd prints the two differently: reading errors
/// (section nesting, Include, Define, LoadModule, &lt;IfModule&gt; ...) on one line after the
/// program name, processing errors (directive handlers) as AH00526 on two lines. A few handlers
/// stop the program at once instead (APLOG_STARTUP then exit(1), as ap_uname2id's AH00543):
/// those print their own tagged line with no file or line.
/// </summary>
public enum ConfigErrorPhase
{
    Read,
    Process,
    Startup,
}
