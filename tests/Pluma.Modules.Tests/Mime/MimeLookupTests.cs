using Pluma.Modules.Mime;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.Mime;

public class MimeLookupTests
{
    private static readonly MimeTypes Types = MimeTypes.Parse(
        "# comment html\ntext/html\t\t\t\thtml htm shtml\ntext/plain txt\nimage/png png\napplication/gzip gz\n");

    private static MimeResult Resolve(string name, MimeDirConfig? conf = null)
    {
        var r = new MimeResult();
        MimeLookup.Resolve(name, conf, Types, r);
        return r;
    }

    [Fact]
    public void TypesFileMapsEveryExtensionOfALine()
    {
        Assert.Equal("text/html", Types.Lookup("htm"));
        Assert.Equal("text/html", Types.Lookup("shtml"));
        Assert.Null(Types.Lookup("comment"));
    }

    [Fact]
    public void BaseNameIsNeverAnExtension()
    {
        Assert.Equal("text/html", Resolve("/var/www/txt.html").ContentType);
        Assert.Null(Resolve("/var/www/html").ContentType);
    }

    [Fact]
    public void LastTypedExtensionWinsAndCaseIsIgnored()
    {
        Assert.Equal("text/plain", Resolve("/a/b.HTML.txt").ContentType);
        Assert.Equal("text/html", Resolve("/a/b.txt.Html").ContentType);
    }

    [Fact]
    public void EmptyAndUnknownExtensionsAreSkipped()
    {
        Assert.Equal("text/html", Resolve("/a/bad..html.zzz").ContentType);
    }

    [Fact]
    public void CharsetLanguageEncodingAndHandlerComeFromAnyExtension()
    {
        var conf = new MimeDirConfig();
        conf.Add(MimeField.Charset, "UTF-8", ".utf8");
        conf.Add(MimeField.Language, "fr", ".fr");
        conf.Add(MimeField.Language, "de", "de");
        conf.Add(MimeField.Encoding, "x-gzip", ".gz");
        conf.Add(MimeField.Handler, "type-map", "var");
        MimeResult r = Resolve("/d/index.html.fr.de.utf8.gz.var", conf);
        Assert.Equal("application/gzip; charset=utf-8", r.ContentType);
        Assert.Equal(["fr", "de"], r.Languages);
        Assert.Equal("x-gzip", r.ContentEncoding);
        Assert.Equal("type-map", r.Handler);
    }

    [Fact]
    public void AddTypeBeatsTheTypesFile()
    {
        var conf = new MimeDirConfig();
        conf.Add(MimeField.Type, "Application/X-Gzip", ".gz");
        Assert.Equal("application/x-gzip", Resolve("/x.tar.gz", conf).ContentType);
    }

    [Fact]
    public void CharsetReplacesAnExistingCharsetParameter()
    {
        Assert.Equal("text/html; charset=utf-8", MimeLookup.WithCharset("text/html; charset=iso-8859-1", "utf-8"));
        Assert.Equal("text/html; level=1; charset=utf-8", MimeLookup.WithCharset("text/html; level=1", "utf-8"));
    }

    [Fact]
    public void DefaultLanguageAppliesOnlyWithoutALanguageExtension()
    {
        var conf = new MimeDirConfig { DefaultLanguage = "en" };
        conf.Add(MimeField.Language, "fr", ".fr");
        Assert.Equal(["en"], Resolve("/a.html", conf).Languages);
        Assert.Equal(["fr"], Resolve("/a.fr.html", conf).Languages);
    }

    [Fact]
    public void DirectivesBuildTheTableAndRemoveTypeClearsOnlyInheritedTypes()
    {
        var mime = MimeModule.Create();
        var config = ConfigFixture.Load(
            "AddType application/x-gzip .gz .tgz\nAddCharset UTF-8 .utf8\nAddHandler type-map var\n"
            + "<Directory /srv>\nRemoveType .gz\nAddLanguage fr .fr\n</Directory>\n", mime);
        MimeDirConfig top = ConfigFixture.Dir<MimeDirConfig>(config, mime);
        Assert.Equal("application/x-gzip", top.Extensions["tgz"].Type);
        Assert.Equal("utf-8", top.Extensions["utf8"].Charset);
        MimeDirConfig srv = ConfigFixture.Dir<MimeDirConfig>(config, mime, "/srv/a.gz");
        Assert.Null(srv.Extensions["gz"].Type);
        Assert.Equal("application/x-gzip", srv.Extensions["tgz"].Type);
        Assert.Equal("fr", srv.Extensions["fr"].Language);
        Assert.Equal("type-map", srv.Extensions["var"].Handler);
    }

    [Fact]
    public void TypesConfigIsResolvedAgainstServerRoot()
    {
        var mime = MimeModule.Create();
        var config = ConfigFixture.Load("TypesConfig mime.types\n", mime);
        Assert.EndsWith("/mime.types", ConfigFixture.Server<MimeServerConfig>(config, mime).TypesConfig);
        Assert.StartsWith("/", ConfigFixture.Server<MimeServerConfig>(config, mime).TypesConfig);
    }

    [Fact]
    public void DebiansMimeTypesFileLoadsAndIsCached()
    {
        if (!System.IO.File.Exists("/etc/mime.types"))
        {
            return;
        }

        MimeTypes t = MimeTypes.Load("/etc/mime.types");
        Assert.Same(t, MimeTypes.Load("/etc/mime.types"));
        Assert.Equal("text/html", t.Lookup("html"));
        Assert.Equal("text/css", t.Lookup("css"));
    }

    [Fact]
    public void MissingTypesFileFailsWithApachesMessage()
    {
        var e = Assert.Throws<System.IO.IOException>(() => MimeTypes.Load("/nonexistent/mime.types"));
        Assert.Equal("AH01597: could not open mime types config file /nonexistent/mime.types.", e.Message);
    }
}
