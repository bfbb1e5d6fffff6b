using System.Net;
using Pluma.Config;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.VhostAlias;

/// <summary>
/// mod_vhost_alias: mass virtual hosting. VirtualDocumentRoot and VirtualScriptAlias build the
/// document directory (and the directory of /cgi-bin/ scripts) from the request's server name,
/// their *IP forms from the local address the connection came in on, with the
/// <see cref="VhostAliasFormat"/> interpolation. Its translate_name runs after mod_alias's, so an
/// Alias or ScriptAlias still wins, and before core's DocumentRoot.
/// </summary>
public static class VhostAliasModule
{
    public const string Name = "vhost_alias_module";

    private const string ScriptPrefix = "cgi-bin";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_vhost_alias.c", () =>
        [
            Directive("VirtualScriptAlias", "how to create a ScriptAlias based on the host", script: true, VhostAliasMode.Name),
            Directive("VirtualDocumentRoot", "how to create the DocumentRoot based on the host", script: false, VhostAliasMode.Name),
            Directive("VirtualScriptAliasIP", "how to create a ScriptAlias based on the host", script: true, VhostAliasMode.Ip),
            Directive("VirtualDocumentRootIP", "how to create the DocumentRoot based on the host", script: false, VhostAliasMode.Ip),
        ])
        {
            CreateServerConfig = () => new VhostAliasServerConfig(),
            MergeServerConfig = (b, a) => VhostAliasServerConfig.Merge((VhostAliasServerConfig)b, (VhostAliasServerConfig)a),
        };
        return new HttpModule(descriptor)
        {
            TranslateName = r => Translate(r, descriptor),

            // After mod_alias (and mod_userdir) in Apache's hook order.
            TranslateNameOrder = 1,
        };
    }

    private static DirectiveDefinition Directive(string name, string help, bool script, VhostAliasMode mode) =>
        new(name, DirectiveArgs.Take1, DirectiveScope.RsrcConf, help, call => Set(call, script, mode));

    private static string? Set(DirectiveCall call, bool script, VhostAliasMode mode)
    {
        string format = call.Args[0];
        string? map = format;
        if (!format.StartsWith('/'))
        {
            if (!format.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                return "format string must be an absolute path, or 'none'";
            }

            (map, mode) = (null, VhostAliasMode.None);
        }
        else if (VhostAliasFormat.Check(format) is { } error)
        {
            return error;
        }

        VhostAliasServerConfig conf = call.GetServerRecord<VhostAliasServerConfig>();
        if (script)
        {
            (conf.ScriptAlias, conf.ScriptAliasMode) = (map, mode);
        }
        else
        {
            (conf.DocumentRoot, conf.DocumentRootMode) = (map, mode);
        }

        return null;
    }

    private static int Translate(RequestRecord r, ModuleDescriptor descriptor)
    {
        VhostAliasServerConfig? conf = r.Server.Config.ModuleConfig.Get<VhostAliasServerConfig>(descriptor);
        if (conf is null)
        {
            return HookResult.Declined;
        }

        string? map;
        VhostAliasMode mode;
        string uri = r.Uri;
        int scriptAt = conf.ScriptAlias is null ? -1 : ScriptDirectoryAt(uri);
        if (scriptAt >= 0)
        {
            (map, mode) = (conf.ScriptAlias, conf.ScriptAliasMode);
            uri = uri[(scriptAt + ScriptPrefix.Length)..];
        }
        else if (uri.StartsWith('/'))
        {
            (map, mode) = (conf.DocumentRoot, conf.DocumentRootMode);
        }
        else
        {
            return HookResult.Declined;
        }

        string name;
        if (mode == VhostAliasMode.Name)
        {
            name = ServerUrl.RequestHost(r);
        }
        else if (mode == VhostAliasMode.Ip)
        {
            IPAddress local = r.Request.LocalEndPoint.Address;
            name = (local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local).ToString();
        }
        else
        {
            return HookResult.Declined;
        }

        string root = VhostAliasFormat.Interpolate(map!, name, ServerUrl.RequestPort(r));
        r.Filename = root + uri;
        r.DocumentRoot = root;
        r.ContextDocumentRoot = root;
        if (scriptAt >= 0)
        {
            // As a ScriptAlias: mod_cgi runs it without Options ExecCGI.
            r.Handler = "cgi-script";
            r.Notes["alias-forced-type"] = r.Handler;
            r.ContextPrefix = "/" + ScriptPrefix;
        }

        return HookResult.Ok;
    }

    // "cgi-bin/" counts only right after the leading slashes ("/cgi-bin/x", "//cgi-bin/x").
    private static int ScriptDirectoryAt(string uri)
    {
        int at = uri.IndexOf(ScriptPrefix + "/", StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        int slashes = 0;
        while (slashes < uri.Length && uri[slashes] == '/')
        {
            slashes++;
        }

        return at == slashes ? at : -1;
    }
}
