using System.Collections.Generic;
using System.Linq;
using Pluma.Config;

namespace Pluma.Config.Tests.Parsing;

public sealed class ReadingTests : IDisposable
{
    private readonly TempConfTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void CommentsContinuationsAndQuotesAreReadAsApacheDoes()
    {
        LoadedConfig c = _tree.Load("  # a comment\nServerName \\\n  \"a \\\" b\"\nDocumentRoot 'with space'\n");
        var core = c.MainServer.ModuleConfig.Get<TestModules.CoreServer>(c.Registry.FindByName("core_module")!)!;
        Assert.Equal("a \" b", core.ServerName);
        Assert.Equal(_tree.Root + "/with space", core.DocumentRoot);
    }

    /// <summary>Found by fuzz/ (config-reader): a NUL reached Path.GetFullPath and threw out of the reader.</summary>
    [Fact]
    public void LineEndsAtItsFirstNulAsInApache()
    {
        LoadedConfig c = _tree.Load("ServerName x\0Bogus\nDocumentRoot /srv\0junk here\n");
        var core = c.MainServer.ModuleConfig.Get<TestModules.CoreServer>(c.Registry.FindByName("core_module")!)!;
        Assert.Equal("x", core.ServerName);
        Assert.Equal("/srv", core.DocumentRoot);
    }

    [Fact]
    public void ContinuedLineReportsItsLastPhysicalLine()
    {
        ConfigException e = _tree.Fail("\nBogus x\\\n  y\n");
        Assert.Equal(3, e.Line);
        Assert.Equal(ConfigErrorPhase.Process, e.Phase);
    }

    [Fact]
    public void DirectiveNamesAndSectionTagsAreCaseInsensitive()
    {
        LoadedConfig c = _tree.Load("<directory /a>\nmark x\n</DIRECTORY>\nservername example\n");
        Assert.Single(c.MainServer.Sections);
    }

    [Theory]
    [InlineData("<Directory /a>\n</Files>\n", 2, "Expected </Directory> but saw </Files>")]
    [InlineData("</Directory>\n", 1, "</Directory> without matching <Directory section")]
    [InlineData("\n<Directory /a>\n", 2, "{F}:2: <Directory> was not closed.")]
    [InlineData("<VirtualHost *:80>\n<Directory /a>\n", 1, "{F}:2: <Directory> was not closed.\n{F}:1: <VirtualHost> was not closed.")]
    [InlineData("<IfModule nope_module>\n</IfDefine>\n", 1, "Expected </IfModule> but saw </IfDefine>")]
    [InlineData("<IfModule nope_module>\nfoo\n", 1, "Expected </IfModule> before end of configuration")]
    [InlineData("<IfModule core.c>\n</Directory>\n</IfModule>\n", 2, "</Directory> without matching <Directory> section")]
    [InlineData("<IfModule>\n</IfModule>\n", 1, "<IfModule> directive requires additional arguments")]
    [InlineData("<IfModule x\n</IfModule>\n", 1, "<IfModule> directive missing closing '>'")]
    [InlineData("<IfDefine>\n</IfDefine>\n", 1, "<IfDefine> directive requires additional arguments")]
    [InlineData("<IfVersion << 2>\n</IfVersion>\n", 1, "unrecognized operator '<<'")]
    [InlineData("<IfVersion = 2.4.x>\n</IfVersion>\n", 1, "Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.")]
    [InlineData("Define\n", 1, "Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.")]
    [InlineData("Define X:y 1\n", 1, "Variable name must not contain ':'")]
    [InlineData("UnDefine\n", 1, "UnDefine takes one argument, Undefine the existence of a variable. Undo a Define.")]
    [InlineData("LoadModule foo_module\n", 1, "LoadModule takes two arguments, a module name and the name of a shared object file to load it from")]
    [InlineData("LoadModule foo_module /x.so\n", 1, "Cannot load /x.so into server: Pluma has no module named foo_module")]
    [InlineData("ServerRoot /nonexistent-pluma\n", 1, "ServerRoot must be a valid directory")]
    public void ReadErrorsUseApacheWordingFileAndLine(string text, int line, string reason)
    {
        ConfigException e = _tree.Fail(text);
        Assert.Equal(ConfigErrorPhase.Read, e.Phase);
        Assert.Equal(_tree.MainFile, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(reason.Replace("{F}", _tree.MainFile, StringComparison.Ordinal), e.Reason);
    }

    [Fact]
    public void ReadErrorFormatsOnOneLineAfterTheProgramName()
    {
        ConfigException e = _tree.Fail("</Directory>\n");
        Assert.Equal("pluma: Syntax error on line 1 of " + _tree.MainFile + ": </Directory> without matching <Directory section", e.Format("pluma"));
    }

    [Fact]
    public void ProcessErrorFormatsAsAH00526OnTwoLines()
    {
        ConfigException e = _tree.Fail("Bogus\n");
        Assert.Equal("AH00526: Syntax error on line 1 of " + _tree.MainFile + ":\nInvalid command 'Bogus', perhaps misspelled or defined by a module not included in the server configuration", e.Format("pluma"));
    }

    [Fact]
    public void MissingMainFileIsAnErrorWithoutLine()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(new ConfigLoadOptions { Registry = TestModules.Registry(), ServerRoot = _tree.Root, ConfigFile = "nope.conf" }));
        Assert.Equal("pluma: Could not open configuration file " + _tree.Root + "/nope.conf: No such file or directory", e.Format("pluma"));
    }

    [Fact]
    public void DefineAndEnvironmentVariablesAreSubstitutedAndUnknownOnesWarn()
    {
        LoadedConfig c = _tree.Load("Define NAME example.org\nServerName ${NAME}\nDocumentRoot /srv/${RUN}/${NOPE}\n",
            env: new() { ["RUN"] = "run" });
        var core = c.MainServer.ModuleConfig.Get<TestModules.CoreServer>(c.Registry.FindByName("core_module")!)!;
        Assert.Equal("example.org", core.ServerName);
        Assert.Equal("/srv/run/${NOPE}", core.DocumentRoot);
        ConfigWarning w = Assert.Single(c.Warnings, w => w.Id == "AH00111");
        Assert.Equal("Config variable ${NOPE} is not defined", w.Message);
        Assert.Contains("NAME", c.Defines);
    }

    [Fact]
    public void IfDefineSeesCommandLineDefinesDefineAndUnDefine()
    {
        LoadedConfig c = _tree.Load("<IfDefine FROM_CLI>\nMark cli\n</IfDefine>\nDefine LATER\nUnDefine FROM_CLI\n<IfDefine !FROM_CLI>\n<IfDefine LATER>\nMark later\n</IfDefine>\n</IfDefine>\n",
            defines: ["FROM_CLI"]);
        Assert.Equal(["cli", "later"], Marks(c));
        Assert.Equal(["LATER"], c.Defines);
    }

    [Fact]
    public void IfModuleFollowsLoadModuleOrderAndAcceptsSourceFileNames()
    {
        LoadedConfig c = _tree.Load("<IfModule mime_module>\nMark early\n</IfModule>\nLoadModule mime_module x.so\n<IfModule mod_mime.c>\nMark late\n</IfModule>\n<IfModule !mpm_event_module>\nMark noevent\n</IfModule>\nLoadModule mime_module x.so\n");
        Assert.Equal(["late", "noevent"], Marks(c));
        Assert.Equal(["core_module", "version_module", "mime_module"], c.Modules.Select(m => m.Name));
        Assert.Contains(c.Warnings, w => w.Id == "AH01574" && w.Message == "module mime_module is already loaded, skipping");
    }

    [Fact]
    public void IfFileIfDirectiveIfSectionAndIfVersionEvaluate()
    {
        _tree.Write("exists.txt", "x");
        LoadedConfig c = _tree.Load(
            "<IfFile exists.txt>\nMark file\n</IfFile>\n<IfFile !missing.txt>\nMark nofile\n</IfFile>\n" +
            "<IfDirective ServerName>\nMark dir\n</IfDirective>\n<IfDirective AddType>\nMark never\n</IfDirective>\n" +
            "<IfSection VirtualHost>\nMark sec\n</IfSection>\n<IfSection <VirtualHost>\nMark never\n</IfSection>\n" +
            "<IfVersion >= 2.4.71>\nMark ge\n</IfVersion>\n<IfVersion = 2.4>\nMark never\n</IfVersion>\n<IfVersion ~ ^2\\.4>\nMark re\n</IfVersion>\n<IfVersion !~ ^2>\nMark never\n</IfVersion>\n");
        Assert.Equal(["file", "nofile", "dir", "sec", "ge", "re"], Marks(c));
    }

    [Fact]
    public void CommandLineDirectivesWrapTheConfigFileAndNameTheirPseudoFile()
    {
        LoadedConfig c = _tree.Load("Mark file\n", pre: ["Mark pre"], post: ["Mark post"]);
        Assert.Equal(["pre", "file", "post"], Marks(c));

        ConfigException e = _tree.Fail("", pre: ["Bogus1"]);
        Assert.Equal("AH00526: Syntax error on line 1 of -c/-C directives:\nInvalid command 'Bogus1', perhaps misspelled or defined by a module not included in the server configuration", e.Format("pluma"));

        e = _tree.Fail("", pre: ["<Directory /a>"]);
        Assert.Equal("pluma: Syntax error in -C/-c directive: -c/-C directives:1: <Directory> was not closed.", e.Format("pluma"));
    }

    private static List<string> Marks(LoadedConfig c) =>
        c.MainServer.DirDefaults.Get<TestModules.Trail>(c.Registry.FindByName("core_module")!)!.Marks;
}
