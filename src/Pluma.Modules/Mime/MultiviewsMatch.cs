namespace Pluma.Modules.Mime;

/// <summary>MultiviewsMatch (mod_mime.c MULTIMATCH_*): which extensions make a file a MultiViews candidate.</summary>
[Flags]
public enum MultiviewsMatch
{
    /// <summary>Not set here (NegotiatedOnly).</summary>
    Unset = 0,

    /// <summary>Only type, language, charset and encoding extensions (the default).</summary>
    NegotiatedOnly = 1,

    /// <summary>Handler extensions count too.</summary>
    Handlers = 2,

    /// <summary>Filter extensions count too (AddInputFilter/AddOutputFilter are not built: no effect yet).</summary>
    Filters = 4,

    /// <summary>Any extension.</summary>
    Any = 8,
}
