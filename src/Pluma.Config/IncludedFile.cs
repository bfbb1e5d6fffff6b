namespace Pluma.Config;

/// <summary>
/// One configuration file read through Include or IncludeOptional: its path, the line of the
/// Include that read it, and how deep it sits (0 for an Include in the main file), as
/// <c>apache2 -t -D DUMP_INCLUDES</c> lists them.
/// </summary>
public sealed record IncludedFile(string Path, int IncludeLine, int Depth);
