using System.Globalization;
using Pluma.Config.Expressions;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;
using Pluma.Modules.Script;

namespace Pluma.Modules.ProxyFcgi;

/// <summary>
/// The FCGI_PARAMS of one request as proxy_fcgi's send_environment computes them: the CGI/1.1
/// variables (<see cref="CgiEnvironment"/>, as mod_cgi's), SCRIPT_FILENAME in the form the
/// backend type asks for, the Content-Length the prefetch settled on, then ProxyFCGISetEnvIf.
/// </summary>
internal static class FcgiParams
{
    /// <summary>
    /// The parameters for <paramref name="r"/>. <paramref name="filename"/> is the request's
    /// canonical file ("proxy:fcgi://localhost/var/www/html/index.php"); <paramref name="contentLength"/>
    /// replaces the client's framing when the body was read ahead (null keeps it).
    /// </summary>
    public static CgiEnvironment Build(RequestRecord r, FcgiDirConfig d, string filename, long? contentLength)
    {
        CgiEnvironment env = CgiEnvironment.Build(r);
        env.Set("SCRIPT_FILENAME", ScriptFilename(filename, d, r.Args));
        if (contentLength is long length)
        {
            env.Set("CONTENT_LENGTH", length.ToString(CultureInfo.InvariantCulture));
            env.Unset("HTTP_TRANSFER_ENCODING");
        }

        if (d.EnvFixups.Count > 0)
        {
            var context = new FcgiExpressionContext(RequestExpressionContext.For(r), env);
            foreach (FcgiEnvFixup fix in d.EnvFixups)
            {
                if (!fix.Condition.Evaluate(context))
                {
                    continue;
                }

                if (fix.Value is null)
                {
                    env.Unset(fix.Name[1..]);
                    continue;
                }

                string value = fix.Value.Evaluate(context);
                if (r.Server.ErrorLog.IsEnabled(LogLevel.Trace4, "proxy_fcgi"))
                {
                    r.Server.ErrorLog.Write(LogLevel.Trace4, "proxy_fcgi",
                        "fix_cgivars: override " + fix.Name + " from '" + (env[fix.Name] ?? "(null)") + "' to '" + value + "'", LogClient.Of(r));
                }

                env.Set(fix.Name, value);
            }
        }

        return env;
    }

    /// <summary>
    /// SCRIPT_FILENAME: for FPM (or no ProxyFCGIBackendType) the "proxy:fcgi://host/path" form,
    /// which PHP-FPM strips itself; for GENERIC the path alone, a query equal to the request's cut off.
    /// A balancer's prefix goes in either case.
    /// </summary>
    public static string ScriptFilename(string filename, FcgiDirConfig d, string? args)
    {
        string? stripped = null;
        if (filename.StartsWith("proxy:balancer://", StringComparison.Ordinal))
        {
            stripped = filename[17..];
        }

        if (!d.MayBeFpm)
        {
            if (filename.StartsWith("proxy:fcgi://", StringComparison.Ordinal))
            {
                stripped = filename[13..];
            }

            if (stripped is not null && !string.IsNullOrEmpty(args))
            {
                int q = stripped.LastIndexOf('?');
                if (q >= 0 && stripped.AsSpan(q + 1).SequenceEqual(args))
                {
                    stripped = stripped[..q];
                }
            }
        }

        if (stripped is null)
        {
            return filename;
        }

        int slash = stripped.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : stripped[slash..];
    }

    /// <summary>ap_expr for ProxyFCGISetEnvIf: reqenv()/%{ENV:x} read the parameters being built (Apache's subprocess_env by then).</summary>
    private sealed class FcgiExpressionContext(IExpressionContext inner, CgiEnvironment env) : IExpressionContext
    {
        public string? GetVariable(string name) =>
            name.StartsWith("ENV:", StringComparison.OrdinalIgnoreCase) ? env[name[4..]] : inner.GetVariable(name);

        public bool FileExists(string path) => inner.FileExists(path);

        public bool DirectoryExists(string path) => inner.DirectoryExists(path);
    }
}
