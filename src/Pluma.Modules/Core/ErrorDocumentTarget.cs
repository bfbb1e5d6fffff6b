namespace Pluma.Modules.Core;

/// <summary>How core keeps an ErrorDocument's second argument (core.c set_error_document, http_protocol.c ap_send_error_response).</summary>
public static class ErrorDocumentTarget
{
    /// <summary>"ErrorDocument N default": Apache's own page, even where an enclosing section set another.</summary>
    public const string Default = "default";

    /// <summary>A message is stored behind a '"' (the text to send follows it).</summary>
    public static bool IsMessage(string doc) => doc.StartsWith('"');

    /// <summary>
    /// ap_is_url (server/util.c): letters, digits, '+', '-' or '.', at least one, followed by ':'
    /// (Common.SelfUrl has the same test; core keeps its own to stay free of Common).
    /// </summary>
    public static bool IsUrl(string s)
    {
        int i = 0;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '+' or '-' or '.'))
        {
            i++;
        }

        return i > 0 && i < s.Length && s[i] == ':';
    }
}
