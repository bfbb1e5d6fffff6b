using System.Collections.Generic;
using System.Linq;

namespace Pluma.Modules.Hosting;

/// <summary>
/// The modules hooked into each step of the access phase, in load order, chosen once per
/// configuration (Apache sorts its hook arrays once at start-up the same way). The phase runs
/// on every request, and most loaded modules hook none of its steps: scanning the whole module
/// list per step cost more than the authorization itself.
/// </summary>
internal sealed class AccessHooks
{
    public AccessHooks(IReadOnlyList<HttpModule> modules)
    {
        SatisfyAny = modules.Where(m => m.SatisfyAny is not null).Select(m => m.SatisfyAny!).ToArray();
        CheckAccessFirst = modules.Where(m => m.CheckAccess is not null && m.CheckAccessFirst).Select(m => m.CheckAccess!).ToArray();
        CheckAccess = modules.Where(m => m.CheckAccess is not null && !m.CheckAccessFirst).Select(m => m.CheckAccess!).ToArray();
        CheckAccessEx = modules.Where(m => m.CheckAccessEx is not null).Select(m => m.CheckAccessEx!).ToArray();
        CheckUserId = modules.Where(m => m.CheckUserId is not null && !m.CheckUserIdLast)
            .Concat(modules.Where(m => m.CheckUserId is not null && m.CheckUserIdLast))
            .Select(m => m.CheckUserId!).ToArray();
        AuthChecker = modules.Where(m => m.AuthChecker is not null).Select(m => m.AuthChecker!).ToArray();
        NoteAuthFailure = modules.Where(m => m.NoteAuthFailure is not null).Select(m => m.NoteAuthFailure!).ToArray();
    }

    public Func<RequestRecord, bool>[] SatisfyAny { get; }

    /// <summary>access_checker hooked APR_HOOK_REALLY_FIRST (mod_allowmethods).</summary>
    public Func<RequestRecord, int>[] CheckAccessFirst { get; }

    public Func<RequestRecord, int>[] CheckAccess { get; }

    public Func<RequestRecord, int>[] CheckAccessEx { get; }

    /// <summary>check_user_id, those hooked APR_HOOK_LAST (mod_authn_core) at the end.</summary>
    public Func<RequestRecord, int>[] CheckUserId { get; }

    public Func<RequestRecord, int>[] AuthChecker { get; }

    public Func<RequestRecord, string, bool>[] NoteAuthFailure { get; }
}
