using System.Collections.Generic;
using System.IO;
using Pluma.Modules.Autoindex;
using Pluma.Modules.Tests.Support;
using Pluma.Testing;

namespace Pluma.Modules.Tests.Autoindex;

public class IndexPageTests
{
    private static readonly DateTimeOffset Old = new(2026, 1, 2, 3, 4, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset New = new(2026, 11, 28, 14, 57, 0, TimeSpan.Zero);

    // Debian's autoindex.conf, as shipped in the repository's conf tree.
    private static readonly Lazy<AutoindexDirConfig> Debian = new(() =>
    {
        var autoindex = AutoindexModule.Create();
        string conf = Path.Combine(RepositoryPaths.ConfTree, "mods-available", "autoindex.conf");
        var config = ConfigFixture.Load("Include " + conf + "\n", autoindex);
        return ConfigFixture.Dir<AutoindexDirConfig>(config, autoindex);
    });

    private static IndexEntry File(string name, long size, DateTimeOffset time, string? type, string? encoding = null)
    {
        AutoindexDirConfig d = Debian.Value;
        string path = "/tmp/apx/www/dir/" + name;
        return new IndexEntry(name, false, size, time)
        {
            Icon = IconLookup.Find(d.Icons, type, encoding, path, false),
            Alt = IconLookup.Find(d.Alts, type, encoding, path, false),
        };
    }

    private static IndexEntry Dir(string name, DateTimeOffset time)
    {
        AutoindexDirConfig d = Debian.Value;
        return new IndexEntry(name + "/", true, -1, time)
        {
            Icon = IconLookup.Find(d.Icons, null, null, IconLookup.Directory, true),
            Alt = IconLookup.Find(d.Alts, null, null, IconLookup.Directory, true) ?? "DIR",
        };
    }

    private static IndexEntry Parent(string uri) => new(uri, true, -1, null)
    {
        Icon = IconLookup.Find(Debian.Value.Icons, null, null, "/tmp/apx/www/dir/..", true),
        Alt = "PARENTDIR",
    };

    private static List<IndexEntry> DirEntries() =>
    [
        File("script.sh", 3, Old, "text/x-sh"),
        File("a.txt", 6, Old, "text/plain"),
        File("huge.gz", 2000000, New, "application/x-gzip"),
        File("big.bin", 3000, Old, "application/octet-stream"),
        File("file with space & <amp>.txt", 0, New, "text/plain"),
        File("link.txt", 6, Old, "text/plain"),
        File("page.html", 8, Old, "text/html"),
        Dir("sub", New),
    ];

    private static string Render(List<IndexEntry> entries, IndexSort sort, string uri = "/dir/", IndexOptions? options = null)
    {
        AutoindexDirConfig d = Debian.Value;
        IndexOptions o = options ?? d.EffectiveOptions;
        sort.Sort(entries, o);
        entries.Insert(0, Parent("/"));
        return IndexPage.Render(new IndexPageModel
        {
            Uri = uri,
            Entries = entries,
            Options = o,
            Sort = sort,
            BlankIcon = IconLookup.Find(d.Icons, null, null, IconLookup.BlankIcon, true),
            DefaultIcon = d.DefaultIcon,
            NameWidth = d.NameWidth,
            DescriptionWidth = d.DescriptionWidth,
        });
    }

    [Fact]
    public void DebiansIndexOptionsAreParsed()
    {
        AutoindexDirConfig d = Debian.Value;
        Assert.Equal(IndexOptions.FancyIndexing | IndexOptions.VersionSort | IndexOptions.HtmlTable, d.EffectiveOptions);
        Assert.Equal(0, d.NameWidth);
        Assert.Equal("UTF-8", d.Charset);
        Assert.Equal("/icons/unknown.gif", d.DefaultIcon);
        Assert.Equal("HEADER.html", d.HeaderName);
    }

    [Fact]
    public void TableListingMatchesApacheByteForByte()
    {
        Assert.Equal(Fixture.Read("dir-default.html"), Render(DirEntries(), IndexSort.Default));
    }

    [Fact]
    public void SizeDescendingListingMatchesApacheByteForByte()
    {
        Assert.Equal(Fixture.Read("dir-size-desc.html"), Render(DirEntries(), IndexSort.Parse("C=S;O=D", IndexSort.Default)));
    }

    [Fact]
    public void PreformattedListingMatchesApacheByteForByte()
    {
        List<IndexEntry> entries =
        [
            File("b-longer-name-than-twenty-three-chars.bin", 3000, Old, "application/octet-stream"),
            File("a.txt", 6, Old, "text/plain"),
            Dir("sub", Old),
        ];
        string html = Render(entries, IndexSort.Default, "/pre/", Debian.Value.EffectiveOptions & ~IndexOptions.HtmlTable);
        Assert.Equal(Fixture.Read("dir-pre.html"), html);
    }

    [Fact]
    public void HeaderAndReadmeAreInsertedAsApacheDoes()
    {
        AutoindexDirConfig d = Debian.Value;
        List<IndexEntry> entries =
        [
            File("HEADER.html", 26, new DateTimeOffset(2026, 11, 28, 15, 5, 0, TimeSpan.Zero), "text/html"),
            File("README.txt", 17, new DateTimeOffset(2026, 11, 28, 15, 5, 0, TimeSpan.Zero), "text/plain"),
            File("a.txt", 6, Old, "text/plain") with { Description = "The A file" },
            File("b-longer-name-than-twenty-three-chars.bin", 3000, Old, "application/octet-stream"),
            Dir("sub", Old),
        ];
        IndexSort.Default.Sort(entries, d.EffectiveOptions);
        entries.Insert(0, Parent("/"));
        string html = IndexPage.Render(new IndexPageModel
        {
            Uri = "/hdr/",
            Entries = entries,
            Options = d.EffectiveOptions,
            BlankIcon = "/icons/blank.gif",
            NameWidth = 0,
            DescriptionWidth = 0,
            HeaderHtml = "<p>Header <b>here</b></p>\n",
            ReadmeText = "Read <me> & more\n",
        });
        Assert.Equal(Fixture.Read("dir-header-readme.html"), html);
    }

    [Theory]
    [InlineData(-1, "  - ")]
    [InlineData(0, "  0 ")]
    [InlineData(972, "972 ")]
    [InlineData(973, "1.0K")]
    [InlineData(3000, "2.9K")]
    [InlineData(10240, " 10K")]
    [InlineData(2000000, "1.9M")]
    [InlineData(1073741824, "1.0G")]
    public void SizesAreFormattedAsAprStrfsize(long size, string expected)
    {
        Assert.Equal(expected, IndexPage.StrFSize(size));
    }

    [Fact]
    public void VersionSortComparesNumbersByValue()
    {
        Assert.True(IndexSort.NaturalCompare("file2.txt", "file10.txt", false) < 0);
        Assert.True(IndexSort.NaturalCompare("a", "B", false) > 0);
        Assert.True(IndexSort.NaturalCompare("a", "B", true) < 0);
        Assert.Equal(0, IndexSort.NaturalCompare("x01", "x1", false));
    }

    [Fact]
    public void IndexIgnorePatternsMatchTheLastSegment()
    {
        AutoindexDirConfig d = Debian.Value;
        Assert.True(IconLookup.IsIgnored(d.Ignore, "/srv/.hidden"));
        Assert.True(IconLookup.IsIgnored(d.Ignore, "/srv/backup~"));
        Assert.True(IconLookup.IsIgnored(d.Ignore, "/srv/RCS"));
        Assert.False(IconLookup.IsIgnored(d.Ignore, "/srv/.."));
        Assert.False(IconLookup.IsIgnored(d.Ignore, "/srv/a.txt"));
    }

    [Theory]
    [InlineData("IndexOptions +None", "Cannot combine '+' or '-' with 'None' keyword")]
    [InlineData("IndexOptions Bogus", "Invalid directory indexing option")]
    [InlineData("IndexOptions NameWidth=3", "NameWidth value must be greater than 5")]
    [InlineData("IndexOrderDefault Up Name", "First keyword must be 'Ascending' or 'Descending'")]
    [InlineData("IndexOrderDefault Ascending Color", "Second keyword must be 'Name', 'Date', 'Size', or 'Description'")]
    public void BadDirectivesAreRefusedWithApachesText(string line, string error)
    {
        Assert.Equal(error, ConfigFixture.LoadFails(line + "\n", AutoindexModule.Create()).Reason);
    }

    [Fact]
    public void SectionOptionsMergeIncrementally()
    {
        var autoindex = AutoindexModule.Create();
        var config = ConfigFixture.Load("IndexOptions FancyIndexing HTMLTable\n<Directory /srv>\nIndexOptions -HTMLTable +FoldersFirst\n</Directory>\n", autoindex);
        Assert.Equal(IndexOptions.FancyIndexing | IndexOptions.FoldersFirst,
            ConfigFixture.Dir<AutoindexDirConfig>(config, autoindex, "/srv/x").EffectiveOptions);
    }
}
