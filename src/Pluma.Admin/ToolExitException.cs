namespace Pluma.Admin;

/// <summary>Perl's <c>exit</c>/<c>die</c> from deep inside a tool (the essential-module prompt aborts
/// the whole run, skipping the restart hint); caught by the tool's Run.</summary>
#pragma warning disable CA1064 // internal by design: never escapes the tool
internal sealed class ToolExitException(int exitCode) : Exception
#pragma warning restore CA1064
{
    public int ExitCode { get; } = exitCode;
}
