using Pluma.Connections.Diagnostics;

namespace Pluma.Modules.Hosting;

/// <summary>
/// The access, authentication and authorization part of Apache's request processing
/// (request.c, ap_process_request_internal): access_checker, access_checker_ex, check_user_id
/// and auth_checker in Apache's order, under "Satisfy All" or "Satisfy Any". The pipeline, a
/// DirectoryIndex candidate and an autoindex entry (sub-requests) all go through it. Each step
/// runs the hooks <see cref="AccessHooks"/> chose once per configuration.
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

        AccessHooks hooks = r.Runtime.Access;
        bool satisfyAny = false;
        foreach (Func<RequestRecord, bool> satisfy in hooks.SatisfyAny)
        {
            if (satisfy(r))
            {
                satisfyAny = true;
                break;
            }
        }

        int rc = RunAll(hooks.CheckAccessFirst, r);
        if (rc == HookResult.Ok)
        {
            rc = RunAll(hooks.CheckAccess, r);
        }

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

        rc = RunFirst(hooks.CheckAccessEx, r);
        if (rc == HookResult.Ok)
        {
            return HookResult.Ok;
        }

        if (rc != HookResult.Declined)
        {
            return rc;
        }

        rc = RunFirst(hooks.CheckUserId, r);
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

        rc = RunFirst(hooks.AuthChecker, r);
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

        foreach (Func<RequestRecord, string, bool> note in r.Runtime.Access.NoteAuthFailure)
        {
            if (note(r, authType))
            {
                return;
            }
        }
    }

    // access_checker is RUN_ALL: every module must answer OK or DECLINED; those hooked
    // REALLY_FIRST (AccessHooks.CheckAccessFirst) in a first pass, the others in a second.
    private static int RunAll(Func<RequestRecord, int>[] hooks, RequestRecord r)
    {
        foreach (Func<RequestRecord, int> check in hooks)
        {
            int rc = check(r);
            if (rc != HookResult.Ok && rc != HookResult.Declined)
            {
                return rc;
            }
        }

        return HookResult.Ok;
    }

    private static int RunFirst(Func<RequestRecord, int>[] hooks, RequestRecord r)
    {
        foreach (Func<RequestRecord, int> hook in hooks)
        {
            int rc = hook(r);
            if (rc != HookResult.Declined)
            {
                return rc;
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
