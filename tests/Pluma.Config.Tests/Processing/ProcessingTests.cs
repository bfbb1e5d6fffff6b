using System.Collections.Generic;
using System.Linq;
using Pluma.Config;

namespace Pluma.Config.Tests.Processing;

public sealed class ProcessingTests : IDisposable
{
    private readonly TempConfTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("Bogus x", 1, "Invalid command 'Bogus', perhaps misspelled or defined by a module not included in the server configuration")]
    [InlineData("<Directory /x>\nListen 80\n</Directory>", 2, "Listen not allowed in <Directory> context")]
    [InlineData("<VirtualHost *:80>\nListen 80\n</VirtualHost>", 2, "Listen cannot occur within <VirtualHost> section")]
    [InlineData("LoadModule mpm_event_module x\n<VirtualHost *:80>\nMaxRequestWorkers 80\n</VirtualHost>", 3, "MaxRequestWorkers cannot occur within <VirtualHost> section")]
    [InlineData("DocumentRoot", 1, "DocumentRoot takes one argument, Root directory of the document tree")]
    [InlineData("DocumentRoot a b", 1, "DocumentRoot takes one argument, Root directory of the document tree")]
    [InlineData("LoadModule mime_module x\nAddType text/plain", 2, "AddType requires at least two arguments, a mime type followed by one or more file extensions")]
    [InlineData("KeepAlive maybe", 1, "KeepAlive must be On or Off")]
    [InlineData("<Directory /a>\n<Limit GET>\nDocumentRoot /x\n</Limit>\n</Directory>", 3, "DocumentRoot not allowed in <Limit> context")]
    [InlineData("<Directory /a>\n<Limit GET>\n<Limit POST>\n</Limit>\n</Limit>\n</Directory>", 3, "<Limit> directive excludes all methods")]
    [InlineData("<Limit GET>\n</Limit>", 1, "<Limit not allowed here")]
    [InlineData("<Location /a>\n<VirtualHost *:80>\n</VirtualHost>\n</Location>", 2, "<VirtualHost not allowed in <Location> context")]
    [InlineData("<Directory /a>\n<Directory /b>\n</Directory>\n</Directory>", 2, "<Directory not allowed in <Directory> context")]
    [InlineData("<If \"true\">\n<Directory /a>\n</Directory>\n</If>", 2, "<Directory not allowed in <If> context")]
    [InlineData("<Location /a>\n<Files x>\n</Files>\n</Location>", 2, "<Files> cannot occur within <Location> section")]
    [InlineData("<VirtualHost *:80>\n<VirtualHost *:81>\n</VirtualHost>\n</VirtualHost>", 2, "<VirtualHost> cannot occur within <VirtualHost> section")]
    [InlineData("<VirtualHost>\n</VirtualHost>", 1, "<VirtualHost> directive requires additional arguments")]
    [InlineData("<Directory>\n</Directory>", 1, "<Directory> directive requires additional arguments")]
    [InlineData("<Directory /x\n</Directory>", 1, "<Directory> directive missing closing '>'")]
    [InlineData("<Directory a b>\n</Directory>", 1, "Multiple <Directory> arguments not (yet) supported.")]
    [InlineData("<Directory ~ (>\n</Directory>", 1, "Regex could not be compiled")]
    [InlineData("<LocationMatch (>\n</LocationMatch>", 1, "Regex could not be compiled")]
    [InlineData("<Files>\n</Files>", 1, "<Files> directive requires additional arguments")]
    [InlineData("<Else>\n</Else>", 1, "<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope")]
    [InlineData("<If \"true\">\n</If>\n<Else foo>\n</Else>", 3, "<Else> does not take an argument")]
    [InlineData("<If>\n</If>", 1, "<If> directive requires additional arguments")]
    [InlineData("<If \"%{FOO} == 'a'\">\n</If>", 1, "Cannot parse condition clause: Variable 'FOO' does not exist")]
    [InlineData("<If \"'a' -foo 'b'\">\n</If>", 1, "Cannot parse condition clause: Binary operator '-foo' does not exist")]
    [InlineData("<If \"'a' == \">\n</If>", 1, "Cannot parse condition clause: syntax error, unexpected $end")]
    [InlineData("<Directory /a>\n<Limit>\n</Limit>\n</Directory>", 2, "<Limit> directive requires additional arguments")]
    public void ProcessErrorsUseApacheWordingFileAndLine(string text, int line, string reason)
    {
        ConfigException e = _tree.Fail(text + "\n");
        Assert.Equal(ConfigErrorPhase.Process, e.Phase);
        Assert.Equal(_tree.MainFile, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void NotImplementedDirectivesWarnOncePerName()
    {
        LoadedConfig c = _tree.Load("ErrorLog a\nErrorLog b\n<Directory /a>\nOptions None\n</Directory>\n");
        Assert.Equal(["ErrorLog", "Options"], c.Warnings.Where(w => w.Id == "PL00001").Select(w => w.Message.Split(' ')[0]));
        Assert.Equal("ErrorLog is accepted but not implemented yet", c.Warnings[0].Message);
    }

    [Fact]
    public void VirtualHostsKeepAddressesFileLineAndInheritMainServerRecords()
    {
        LoadedConfig c = _tree.Load("ServerName main\nListen 80\n\n<VirtualHost 127.0.0.1:80 [::1]:80>\nDocumentRoot /v\n</VirtualHost>\n<VirtualHost *:81>\n</VirtualHost>\n<VirtualHost *:82>\nMark v3\n</VirtualHost>\n");
        ModuleDescriptor core = c.Registry.FindByName("core_module")!;
        Assert.Equal(3, c.VirtualHosts.Count);
        ServerConfig v1 = c.VirtualHosts[0];
        Assert.Equal(["127.0.0.1:80", "[::1]:80"], v1.Addresses);
        Assert.Equal((_tree.MainFile, 4), (v1.File, v1.Line));
        Assert.Equal("/v", v1.ModuleConfig.Get<TestModules.CoreServer>(core)!.DocumentRoot);
        // A vhost without directives of a module shares the main server's record (httpd's merge_server_configs).
        Assert.Same(c.MainServer.ModuleConfig[core], c.VirtualHosts[1].ModuleConfig[core]);
        Assert.Equal(["v3"], c.VirtualHosts[2].DirDefaults.Get<TestModules.Trail>(core)!.Marks);
    }

    [Fact]
    public void IterateHandlersRunOncePerWord()
    {
        LoadedConfig c = _tree.Load("LoadModule mime_module x\nAddType text/html html htm\n");
        ModuleDescriptor mime = c.Registry.FindByName("mime_module")!;
        Assert.Equal(["text/html=html", "text/html=htm"], c.MainServer.DirDefaults.Get<List<string>>(mime)!);
    }

    [Fact]
    public void ModuleDefinedSectionsWalkTheirChildren()
    {
        var seen = new List<string>();
        var module = new ModuleDescriptor("authz_core_module", "mod_authz_core.c",
        [
            new DirectiveDefinition("<RequireAll", DirectiveArgs.RawArgs, DirectiveScope.OrAuthCfg, "container", call =>
            {
                seen.Add("open " + call.LimitedMethods?.Count);
                return call.ProcessChildren();
            }),
            new DirectiveDefinition("Require", DirectiveArgs.TakeArgv, DirectiveScope.OrAuthCfg, "rule", call =>
            {
                seen.Add(string.Join(' ', call.Args) + " in " + call.Section + " " + call.SectionPath);
                return null;
            }),
        ]);
        var registry = new ModuleRegistry([TestModules.Core(), module]);
        _tree.Load("LoadModule authz_core_module x\n<Directory /srv>\n<RequireAll>\nRequire all granted\n</RequireAll>\n</Directory>\n", registry);
        Assert.Equal(["open ", "all granted in Directory /srv/"], seen);
    }

    [Fact]
    public void OnlyLoadedModulesBuildTheirDirectiveTables()
    {
        int built = 0;
        DirectiveDefinition[] Table()
        {
            built++;
            return [new DirectiveDefinition("Lazy", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "a lazily built directive", _ => null)];
        }

        var registry = new ModuleRegistry([TestModules.Core(), new ModuleDescriptor("lazy_module", "mod_lazy.c", Table)]);

        // Not loaded: its directive is unknown, as any other, and its table is never built.
        ConfigException e = _tree.Fail("Lazy x\n", registry);
        Assert.Contains("Invalid command 'Lazy'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, built);

        // Loaded: built once, and the same definitions every time it is asked for.
        _tree.Load("LoadModule lazy_module x\nLazy x\n", registry);
        ModuleDescriptor lazy = registry.FindByName("lazy_module")!;
        Assert.Same(lazy.Directives, lazy.Directives);
        _tree.Load("LoadModule lazy_module x\nLazy y\n", registry);
        Assert.Equal(1, built);
        Assert.Equal("Lazy", Assert.Single(lazy.Directives).Name);
    }

    [Fact]
    public void BindersParseIntegersAndTimeoutsAsApache()
    {
        Assert.Equal(5, DirectiveBinders.CAtoi("5x"));
        Assert.Equal(0, DirectiveBinders.CAtoi("abc"));
        Assert.Equal(-12, DirectiveBinders.CAtoi("  -12"));
        Assert.True(DirectiveBinders.TryParseTimeout("500ms", out TimeSpan t));
        Assert.Equal(TimeSpan.FromMilliseconds(500), t);
        Assert.True(DirectiveBinders.TryParseTimeout("2mi", out t));
        Assert.Equal(TimeSpan.FromMinutes(2), t);
        Assert.False(DirectiveBinders.TryParseTimeout("abc", out _));

        // Found by fuzz/ (config-reader): past TimeSpan's range it threw out of the processor.
        Assert.False(DirectiveBinders.TryParseTimeout("99999999999999999", out _));
        Assert.False(DirectiveBinders.TryParseTimeout("9999999999999h", out _));
    }
}
