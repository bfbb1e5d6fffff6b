namespace Pluma.Config;

/// <summary>
/// Places a directive refuses even though its <see cref="DirectiveScope"/> would let it in:
/// httpd's <c>ap_check_cmd_context</c> flags (NOT_IN_VIRTUALHOST, GLOBAL_ONLY, ...). They are
/// checked after the argument count, with httpd's "cannot occur within" wording.
/// </summary>
[Flags]
public enum ContextRestrictions
{
    None = 0,
    NotInVirtualHost = 1,
    NotInLimit = 2,
    NotInDirectory = 4,
    NotInLocation = 8,
    NotInFiles = 16,
    NotInDirContext = NotInLimit | NotInDirectory | NotInLocation | NotInFiles,
    /// <summary>Main server only (GLOBAL_ONLY).</summary>
    GlobalOnly = NotInVirtualHost | NotInDirContext,
}
