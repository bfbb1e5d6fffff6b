namespace Pluma.Config;

/// <summary>
/// When a configuration error was found. httpd prints the two differently: reading errors
/// (section nesting, Include, Define, LoadModule, &lt;IfModule&gt; ...) on one line after the
/// program name, processing errors (directive handlers) as AH00526 on two lines.
/// </summary>
public enum ConfigErrorPhase
{
    Read,
    Process,
}
