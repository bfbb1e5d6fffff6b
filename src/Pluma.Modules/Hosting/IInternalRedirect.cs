namespace Pluma.Modules.Hosting;

/// <summary>
/// What a request asks of the pipeline serving it (Apache's ap_internal_redirect). The pipeline
/// sits above the modules and the records; this seam lets a record reach it without knowing it.
/// </summary>
public interface IInternalRedirect
{
    /// <summary>Serves <paramref name="uri"/> instead of <paramref name="from"/>; returns the hook result to pass on.</summary>
    int InternalRedirect(RequestRecord from, string uri, string? args = null);

    /// <summary>
    /// ap_sub_req_lookup_uri: runs the phases up to the fixups (no handler) for <paramref name="uri"/>
    /// as a GET sub-request of <paramref name="from"/>; returns its status (200 when it could be served).
    /// </summary>
    int LookupUri(RequestRecord from, string uri, out RequestRecord sub);

    /// <summary>ap_sub_req_lookup_file: the same for a file (relative to the directory of <paramref name="from"/>'s file), without translate_name.</summary>
    int LookupFile(RequestRecord from, string path, out RequestRecord sub);
}
