using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.Hosting;

/// <summary>
/// The access, authentication and authorization part of Apache's request processing
/// (request.c, ap_process_request_internal): access_checker, access_checker_ex, check_user_id
/// and auth_checker in Apache's order, under "Satisfy All" or "Satisfy Any". The pipeline, a
/// DirectoryIndex candidate and an autoindex entry (sub-requests) all go through it. The loops
/// index the module list: a foreach over the IReadOnlyList would allocate on every request.
/// </summary>
public static class AccessPhase
{
    /// <summary>
    /// OK when the request may go on, else the status that ends it. A request that shares its
    /// per-directory configuration with <paramref name="parent"/> (an internal redirect or a
    /// sub-request of the same sections) takes the parent's user instead, as request.c does.
    /// </summary>
    public static int Run(RequestRecord r, RequestRecord? parent = null)
    {
        if (parent is not null && ReferenceEquals(parent.DirConfig, r.DirConfig))
        {
            r.User = parent.User;
            return HookResult.Ok;
        }

        bool satisfyAny = false;
        for (int i = 0; i < r.Runtime.Modules.Count; i++)
        {
            HttpModule m = r.Runtime.Modules[i];
            if (m.SatisfyAny is { } satisfy && satisfy(r))
            {
                satisfyAny = true;
                break;
            }
        }

        int rc = RunAll(r);
        if (satisfyAny)
        {
            if (rc == HookResult.Ok)
            {
                return HookResult.Ok;
            }
        }
        else if (rc != HookResult.Ok)
        {
            return rc;
        }

        rc = RunFirst(r, static m => m.CheckAccessEx);
        if (rc == HookResult.Ok)
        {
            return HookResult.Ok;
        }

        if (rc != HookResult.Declined)
        {
            return rc;
        }

        rc = RunCheckUserId(r);
        if (rc != HookResult.Ok)
        {
            return DeclinedIsFatal(rc, "check user", r);
        }

        if (r.User is null)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", (satisfyAny ? "AH00028" : "AH00027")
                + ": No authentication done but request not allowed without authentication for " + r.Uri + ". Authentication not configured?", LogClient.Of(r));
            return 500;
        }

        rc = RunFirst(r, static m => m.AuthChecker);
        return rc == HookResult.Ok ? rc : DeclinedIsFatal(rc, "check authorization", r);
    }

    /// <summary>ap_note_auth_failure: the module of the AuthType adds its challenge (WWW-Authenticate).</summary>
    public static void NoteAuthFailure(RequestRecord r, string? authType)
    {
        if (authType is null)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00571: need AuthType to note auth failure: " + r.Uri, LogClient.Of(r));
            return;
        }

        for (int i = 0; i < r.Runtime.Modules.Count; i++)
        {
            HttpModule m = r.Runtime.Modules[i];
            if (m.NoteAuthFailure is { } note && note(r, authType))
            {
                return;
            }
        }
    }

    // access_checker is RUN_ALL: every module must answer OK or DECLINED; those hooked
    // REALLY_FIRST (CheckAccessFirst) in the first pass, the others in the second.
    private static int RunAll(RequestRecord r)
    {
        int rc = RunAll(r, first: true);
        return rc == HookResult.Ok ? RunAll(r, first: false) : rc;
    }

    private static int RunAll(RequestRecord r, bool first)
    {
        for (int i = 0; i < r.Runtime.Modules.Count; i++)
        {
            HttpModule m = r.Runtime.Modules[i];
            if (m.CheckAccessFirst == first && m.CheckAccess is { } check)
            {
                int rc = check(r);
                if (rc != HookResult.Ok && rc != HookResult.Declined)
                {
                    return rc;
                }
            }
        }

        return HookResult.Ok;
    }

    private static int RunFirst(RequestRecord r, Func<HttpModule, Func<RequestRecord, int>?> hook)
    {
        for (int i = 0; i < r.Runtime.Modules.Count; i++)
        {
            HttpModule m = r.Runtime.Modules[i];
            if (hook(m) is { } h)
            {
                int rc = h(r);
                if (rc != HookResult.Declined)
                {
                    return rc;
                }
            }
        }

        return HookResult.Declined;
    }

    private static int RunCheckUserId(RequestRecord r)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < r.Runtime.Modules.Count; i++)
            {
                HttpModule m = r.Runtime.Modules[i];
                if (m.CheckUserId is { } h && m.CheckUserIdLast == (pass == 1))
                {
                    int rc = h(r);
                    if (rc != HookResult.Declined)
                    {
                        return rc;
                    }
                }
            }
        }

        return HookResult.Declined;
    }

    // request.c's decl_die: a phase nobody answered is a configuration error.
    private static int DeclinedIsFatal(int rc, string phase, RequestRecord r)
    {
        if (rc != HookResult.Declined)
        {
            return rc;
        }

        r.Server.ErrorLog.Write(LogLevel.Crit, "core", "AH00025: configuration error:  couldn't " + phase + ": " + r.Uri, LogClient.Of(r));
        return 500;
    }
}
