namespace Pluma.Http;

/// <summary>
/// Called once per response just before its head is built (where Apache's mod_headers applies
/// <c>Header</c> in its output filter, and <c>Header always</c> in its insert_error_filter for
/// the error pages of ap_send_error_response). Its errorResponse argument is true for those
/// error answers (<see cref="HttpResponse.BeginErrorResponse"/>): Apache then keeps only the
/// fields of its err_headers_out table.
/// </summary>
public abstract class ResponseHeadHook
{
    internal ResponseHeadHook? Next { get; set; }

    /// <summary>Edits the status and header fields before they are sent.</summary>
    public abstract void BeforeHead(HttpResponse response, bool errorResponse);
}
