namespace Pluma.Config;

/// <summary>
/// How a directive's arguments are split and counted before its handler runs: httpd's
/// <c>cmd_how</c> (RAW_ARGS, TAKE1, ...). The count errors use httpd's wording.
/// </summary>
public enum DirectiveArgs
{
    /// <summary>The handler gets the unsplit rest of the line in <see cref="DirectiveCall.RawArgs"/>.</summary>
    RawArgs,
    /// <summary>Every word, as many as there are (up to 64, as httpd).</summary>
    TakeArgv,
    NoArgs,
    Take1,
    Take2,
    Take12,
    Take3,
    Take23,
    Take123,
    Take13,
    /// <summary>The handler runs once per word.</summary>
    Iterate,
    /// <summary>The handler runs once per word after the first, with the first word as Args[0].</summary>
    Iterate2,
    /// <summary>On or Off; the value is in <see cref="DirectiveCall.FlagValue"/>.</summary>
    Flag,
}
