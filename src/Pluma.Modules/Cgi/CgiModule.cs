using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Cgi;

/// <summary>
/// mod_cgi and mod_cgid: run a script for the "cgi-script" handler (ScriptAlias, or AddHandler /
/// SetHandler cgi-script with Options ExecCGI) and send what it writes. Debian loads mod_cgi
/// under prefork and mod_cgid under worker and event (a2enmod picks it). Apache's cgid runs
/// scripts from a daemon because forking a threaded process is costly there; Pluma's children
/// start them with posix_spawn from any MPM, so both modules run <see cref="CgiHandler"/> and
/// differ in their names, their log tag and cgid's ScriptSock (accepted, no socket is made).
/// </summary>
public static class CgiModule
{
    public const string CgiName = "cgi_module";
    public const string CgidName = "cgid_module";

    /// <summary>The handler names mod_cgi answers: "cgi-script" and CGI_MAGIC_TYPE.</summary>
    public const string HandlerName = "cgi-script";
    public const string MagicType = "application/x-httpd-cgi";

    public static HttpModule CreateCgi() => Create(CgiName, "mod_cgi.c", "cgi", daemon: false);

    public static HttpModule CreateCgid() => Create(CgidName, "mod_cgid.c", "cgid", daemon: true);

    private static HttpModule Create(string name, string file, string logTag, bool daemon)
    {
        var descriptor = new ModuleDescriptor(name, file, () => Directives(daemon))
        {
            CreateServerConfig = () => new CgiServerConfig(),
            MergeServerConfig = (b, a) => CgiServerConfig.Merge((CgiServerConfig)b, (CgiServerConfig)a),
        };
        return new HttpModule(descriptor)
        {
            Handler = r => r.Handler is HandlerName or MagicType
                ? new CgiHandler(r, r.Server.Config.ModuleConfig.Get<CgiServerConfig>(descriptor) ?? new CgiServerConfig(), logTag).Run()
                : HookResult.Declined,
        };
    }

    private static List<DirectiveDefinition> Directives(bool daemon)
    {
        var directives = new List<DirectiveDefinition>
        {
            new("ScriptLog", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the name of a log for script debugging info",
                call =>
                {
                    call.GetServerRecord<CgiServerConfig>().LogName = call.ResolvePath(call.Args[0]);
                    return null;
                }),
            new("ScriptLogLength", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the maximum length (in bytes) of the script debug log",
                call =>
                {
                    call.GetServerRecord<CgiServerConfig>().LogLength = long.TryParse(call.Args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : DirectiveBinders.CAtoi(call.Args[0]);
                    return null;
                }),
            new("ScriptLogBuffer", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the maximum size (in bytes) to record of a POST request",
                call =>
                {
                    call.GetServerRecord<CgiServerConfig>().LogBuffer = DirectiveBinders.CAtoi(call.Args[0]);
                    return null;
                }),
        };
        if (daemon)
        {
            directives.Add(new("ScriptSock", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the name of the socket to use for communication with the cgi daemon.",
                call =>
                {
                    call.GetServerRecord<CgiServerConfig>().Socket = call.ResolvePath(call.Args[0]);
                    return null;
                })
            {
                Restrictions = ContextRestrictions.GlobalOnly,
            });
        }

        return directives;
    }
}
