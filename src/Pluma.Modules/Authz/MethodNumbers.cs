using System.Collections.Generic;

namespace Pluma.Modules.Authz;

/// <summary>
/// Method lists as httpd compares them: by method number (ap_method_number_of), and HEAD has
/// GET's number, M_GET (http_protocol.c, lookup_builtin_method). So &lt;Limit GET&gt;,
/// &lt;LimitExcept GET&gt; and Require method GET cover HEAD, and a list naming HEAD covers GET.
/// </summary>
internal static class MethodNumbers
{
    public static bool Lists(IReadOnlyList<string> methods, string method, StringComparison comparison)
    {
        string number = Number(method, comparison);
        foreach (string m in methods)
        {
            if (Number(m, comparison).Equals(number, comparison))
            {
                return true;
            }
        }

        return false;
    }

    private static string Number(string method, StringComparison comparison) =>
        method.Equals("HEAD", comparison) ? "GET" : method;
}
