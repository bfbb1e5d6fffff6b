using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pluma.Config;
using Pluma.Testing;

namespace Pluma.Config.Tests;

/// <summary>Loads Debian's real tree as a fresh install of the apache2 package leaves it (unpacked from the package file, never this machine's /etc/apache2).</summary>
public sealed class DebianTreeTests
{
    private static readonly string[] s_directives =
    [
        "AccessFileName", "AddCharset", "AddHandler", "AddIcon", "AddIconByEncoding", "AddIconByType", "AddLanguage",
        "AddOutputFilter", "AddOutputFilterByType", "AddType", "Alias", "AllowOverride", "BrowserMatch", "CustomLog",
        "DefaultIcon", "DefaultRuntimeDir", "DirectoryIndex", "DocumentRoot", "ErrorLog", "ExtendedStatus",
        "ForceLanguagePriority", "Group", "HeaderName", "HostnameLookups", "IndexIgnore", "IndexOptions", "KeepAlive",
        "KeepAliveTimeout", "LanguagePriority", "Listen", "LogFormat", "LogLevel", "MaxConnectionsPerChild",
        "MaxKeepAliveRequests", "MaxRequestWorkers", "MaxSpareThreads", "MinSpareThreads", "Options", "PidFile",
        "ProxyStatus", "ReadmeName", "RemoveType", "RequestReadTimeout", "Require", "ScriptAlias", "ServerAdmin",
        "ServerSignature", "ServerTokens", "SetHandler", "StartServers", "ThreadLimit", "ThreadsPerChild", "Timeout",
        "TraceEnable", "TypesConfig", "User", "ServerName", "Mutex", "SetEnvIf", "SetEnvIfNoCase", "Header",
    ];

    private static readonly (string Name, string Source)[] s_loadable =
    [
        ("access_compat_module", "mod_access_compat.c"), ("alias_module", "mod_alias.c"), ("auth_basic_module", "mod_auth_basic.c"),
        ("authn_core_module", "mod_authn_core.c"), ("authn_file_module", "mod_authn_file.c"), ("authz_core_module", "mod_authz_core.c"),
        ("authz_host_module", "mod_authz_host.c"), ("authz_user_module", "mod_authz_user.c"), ("autoindex_module", "mod_autoindex.c"),
        ("deflate_module", "mod_deflate.c"), ("dir_module", "mod_dir.c"), ("env_module", "mod_env.c"), ("filter_module", "mod_filter.c"),
        ("mime_module", "mod_mime.c"), ("mpm_event_module", "event.c"), ("mpm_prefork_module", "prefork.c"), ("mpm_worker_module", "worker.c"),
        ("negotiation_module", "mod_negotiation.c"), ("reqtimeout_module", "mod_reqtimeout.c"), ("setenvif_module", "mod_setenvif.c"),
        ("status_module", "mod_status.c"), ("ssl_module", "mod_ssl.c"), ("cgi_module", "mod_cgi.c"),
    ];

    private static ModuleRegistry Registry()
    {
        // Every directive Debian's files use sits on a catch-all core table; the tree is what is under test.
        List<ModuleDescriptor> modules =
        [
            new("core_module", "core.c", [.. s_directives.Select(d => DirectiveDefinition.Pending(d, DirectiveArgs.RawArgs, DirectiveScope.Anywhere))]) { IsStatic = true },
        ];
        foreach (string s in new[] { "so", "watchdog", "http", "log_config", "logio", "version", "unixd" })
        {
            modules.Add(new ModuleDescriptor(s + "_module", s == "http" ? "http_core.c" : "mod_" + s + ".c") { IsStatic = true });
        }

        modules.AddRange(s_loadable.Select(m => new ModuleDescriptor(m.Name, m.Source)));
        return new ModuleRegistry(modules);
    }

    [Fact]
    public void DebiansRealTreeLoadsWithItsEnabledModules()
    {
        using var dir = new TempDirectory("pluma-debian-tree-");
        string tree = dir.Combine("apache2");
        DebianApacheTree.CopyTo(tree);
        LoadedConfig c = ConfigLoader.Load(new ConfigLoadOptions
        {
            Registry = Registry(),
            ServerRoot = tree,
            Environment = new Dictionary<string, string>
            {
                ["APACHE_RUN_USER"] = "www-data",
                ["APACHE_RUN_GROUP"] = "www-data",
                ["APACHE_PID_FILE"] = "/var/run/apache2/apache2.pid",
                ["APACHE_RUN_DIR"] = "/var/run/apache2",
                ["APACHE_LOCK_DIR"] = "/var/lock/apache2",
                ["APACHE_LOG_DIR"] = "/var/log/apache2",
            },
        });

        int enabled = Directory.GetFiles(Path.Combine(tree, "mods-enabled"), "*.load").Length;
        Assert.Equal(19, enabled); // mpm_event, the postinst's 16 modules and the 2 they depend on (authn_core, authz_core)
        Assert.Equal(8 + enabled, c.Modules.Count);
        Assert.Equal("core_module", c.Modules[0].Name);
        Assert.DoesNotContain(c.Warnings, w => w.Id == "AH00111");
        Assert.Equal(Directory.GetFiles(Path.Combine(tree, "sites-enabled"), "*.conf").Length, c.VirtualHosts.Count);
        Assert.Contains(c.MainServer.Sections, s => s.Kind == SectionKind.Directory && s.Pattern == "/var/www/");
    }
}
