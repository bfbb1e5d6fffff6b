using System.Text.RegularExpressions;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Rewrite;

/// <summary>One run of a rule list over a request (mod_rewrite.c rewrite_ctx): the backreferences of the last matched rule and condition, and the request headers a matched condition used (for Vary).</summary>
internal sealed class RewriteContext
{
    public RewriteContext(RequestRecord r, string? perDir, RewriteServerConfig server)
    {
        Request = r;
        PerDir = perDir;
        Server = server;
    }

    public RequestRecord Request { get; }

    /// <summary>The per-directory prefix ("/var/www/html/"), or null in server context.</summary>
    public string? PerDir { get; }

    /// <summary>The serving server's record: its RewriteMaps.</summary>
    public RewriteServerConfig Server { get; }

    /// <summary>RewriteBase of the per-directory rules (LA-U's look-up path), or null.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The string the current rule's pattern is applied to.</summary>
    public string Uri { get; set; } = string.Empty;

    /// <summary>$N: the rule's match (null for a '!' pattern).</summary>
    public Match? RuleMatch { get; set; }

    /// <summary>%N: the last matched regex condition.</summary>
    public Match? CondMatch { get; set; }

    public string? VaryThis { get; set; }

    public string? Vary { get; set; }

    /// <summary>The last rule that substituted (2.4.60's prefix_stat safety check compares its output).</summary>
    public RewriteRuleEntry? LastSubstitution { get; set; }

    /// <summary>The status an [R] rule chose (Apache keeps it in r->status until the hook answers).</summary>
    public int RedirectStatus { get; set; }

    public void AddVaryThis(string header) => VaryThis = VaryThis is null ? header : VaryThis + ", " + header;
}
