using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Pluma.Config;
using Pluma.Http;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;
using Pluma.Scoreboard;

namespace Pluma.Modules.Status;

/// <summary>
/// mod_status: the <c>server-status</c> handler (HTML, <c>?auto</c>, <c>?notable</c>,
/// <c>?refresh=N</c>) rendered by <see cref="StatusPage"/> from the live scoreboard, and Pluma's
/// additions under the same handler and access rules: <c>?json</c> (<see cref="StatusJson"/>)
/// and <c>?view=live</c> (<see cref="Live.LiveView"/>).
/// </summary>
public static class StatusModule
{
    public const string Name = "status_module";

    /// <summary>STATUS_MAGIC_TYPE, the handler name's older form.</summary>
    public const string MagicType = "application/x-httpd-status";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_status.c", () =>
        [
            new DirectiveDefinition("ExtendedStatus", DirectiveArgs.Flag, DirectiveScope.RsrcConf,
                "\"On\" to track extended status information, \"Off\" to disable",
                DirectiveBinders.Flag<StatusServerConfig>(DirectiveTarget.Server, (c, v) => c.ExtendedStatus = v))
            {
                Restrictions = ContextRestrictions.GlobalOnly,
            },
        ])
        {
            CreateServerConfig = () => new StatusServerConfig(),
            MergeServerConfig = (b, a) => StatusServerConfig.Merge((StatusServerConfig)b, (StatusServerConfig)a),
        };
        return new HttpModule(descriptor) { Handler = r => Handle(r, descriptor) };
    }

    /// <summary>Reads the query the way mod_status does: substrings "refresh[=N]", "notable", "auto" anywhere.</summary>
    public static (bool Auto, bool NoTable, int? Refresh) ParseQuery(string? args)
    {
        if (args is null)
        {
            return (false, false, null);
        }

        int? refresh = null;
        int at = args.IndexOf("refresh", StringComparison.Ordinal);
        if (at >= 0)
        {
            long t = at + 7 < args.Length && args[at + 7] == '=' ? DirectiveBinders.CAtoi(args.AsSpan(at + 8)) : 0;
            refresh = t < 1 ? 10 : (int)t;
        }

        return (args.Contains("auto", StringComparison.Ordinal), args.Contains("notable", StringComparison.Ordinal), refresh);
    }

    private static int Handle(RequestRecord r, ModuleDescriptor descriptor)
    {
        if (r.Handler is not ("server-status" or MagicType))
        {
            return HookResult.Declined;
        }

        if (r.Request.MethodNumber != HttpMethod.Get && r.Request.MethodNumber != HttpMethod.Head)
        {
            return HookResult.Declined;
        }

        ScoreboardSnapshot? board = r.Runtime.Scoreboard();
        if (board is null)
        {
            r.Server.ErrorLog.Write(Pluma.Connections.Diagnostics.LogLevel.Error, "status", "AH01237: Server status unavailable in inetd mode");
            return 500;
        }

        string? args = r.Args ?? r.Request.QueryString;
        (StatusView view, string? asset) = StatusViewQuery.Parse(args);
        if (view == StatusView.Live)
        {
            return ServeLiveFile(r, asset);
        }

        (bool auto, bool noTable, int? refresh) = ParseQuery(args);
        if (refresh is int seconds)
        {
            r.Response.Headers.Set("Refresh", seconds.ToString(CultureInfo.InvariantCulture));
        }

        StatusSnapshot snapshot = StatusSnapshot.From(board);
        StatusPageRequest page = PageRequest(r, descriptor, snapshot) with { Auto = auto, NoTable = noTable };
        byte[] body;
        if (view == StatusView.Json)
        {
            body = StatusJson.Render(snapshot, page with { ListenBacklog = ListenBacklog.Read() });
            r.Response.ContentType = "application/json";
            r.Response.Headers.Set("Cache-Control", "no-store");
        }
        else
        {
            page = page with { Extensions = StatusHooks.Run(r, (auto ? StatusHookFlags.Short : 0) | (noTable ? StatusHookFlags.NoTable : 0) | (page.ExtendedStatus ? StatusHookFlags.Extended : 0)) };
            body = Encoding.Latin1.GetBytes(StatusPage.Render(snapshot, page));
            r.Response.ContentType = auto ? "text/plain; charset=ISO-8859-1" : "text/html; charset=ISO-8859-1";
        }

        r.Response.ContentLength = body.Length;
        r.Response.Write(body);
        return HookResult.Done;
    }

    private static StatusPageRequest PageRequest(RequestRecord r, ModuleDescriptor descriptor, StatusSnapshot snapshot)
    {
        var pids = new List<int>(snapshot.ProcessSlots.Count);
        foreach (ProcessInfo p in snapshot.ProcessSlots)
        {
            pids.Add(p.Pid);
        }

        (double l1, double l5, double l15) = ProcStats.LoadAverage();
        (double u, double s, double cu, double cs) = ProcStats.CpuTimes(pids);
        DateTimeOffset restart = snapshot.RestartTime > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(snapshot.RestartTime / 1000).ToLocalTime()
            : r.Runtime.StartTime;
        var local = r.Request.LocalEndPoint.Address;
        return new StatusPageRequest
        {
            ServerName = AliasHost(r),
            LocalIp = (local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local).ToString(),
            ServerVersion = r.Runtime.Info.Version,
            ServerBuilt = r.Runtime.Info.Built.Value,
            Now = DateTimeOffset.Now,
            RestartTime = restart,
            Load1 = l1,
            Load5 = l5,
            Load15 = l15,
            CpuUser = u,
            CpuSystem = s,
            CpuChildrenUser = cu,
            CpuChildrenSystem = cs,
            ExtendedStatus = r.Server.Config.ModuleConfig.Get<StatusServerConfig>(descriptor)?.EffectiveExtendedStatus ?? true,
        };
    }

    /// <summary>?view=live: the page or one of its files, with a policy that allows nothing inline and nothing from elsewhere.</summary>
    private static int ServeLiveFile(RequestRecord r, string? asset)
    {
        if (Live.LiveView.Find(asset) is not (byte[] body, string type))
        {
            return 404;
        }

        r.Response.ContentType = type;
        r.Response.Headers.Set("Content-Security-Policy", Live.LiveView.ContentSecurityPolicy);
        r.Response.Headers.Set("X-Content-Type-Options", "nosniff");
        r.Response.Headers.Set("Cache-Control", "no-cache");
        r.Response.ContentLength = body.Length;
        r.Response.Write(body);
        return HookResult.Done;
    }

    private static string AliasHost(RequestRecord r) => ServerUrl.RequestHost(r);
}
