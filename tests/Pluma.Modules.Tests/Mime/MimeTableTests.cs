using System.IO;
using System.Runtime.InteropServices;
using Pluma.Modules.Mime;

namespace Pluma.Modules.Tests.Mime;

/// <summary>
/// The flat mime.types table (MimeTable) a parent hands its children: the same answers as the
/// file's parse, in another block of memory, and what a child refuses to adopt.
/// </summary>
public class MimeTableTests
{
    private const string Text =
        "# comment\ntext/html html htm\ntext/plain txt TEXT\nimage/png png\n\napplication/x-later htm\ntype/none\nimage/gif\tgif\r\ntext/x-è ÉXT\n";

    [Fact]
    public void ALaterLineWinsExtensionsAreLowercasedAndLinesWithoutExtensionsAreSkipped()
    {
        MimeTypes t = MimeTypes.Parse(Text);
        Assert.Equal("text/html", t.Lookup("html"));
        Assert.Equal("application/x-later", t.Lookup("htm"));
        Assert.Equal("text/plain", t.Lookup("text"));
        Assert.Null(t.Lookup("TEXT"));
        Assert.Equal("image/gif", t.Lookup("gif"));
        Assert.Equal("text/x-è", t.Lookup("éxt"));
        Assert.Null(t.Lookup("none"));
        Assert.Null(t.Lookup(""));
        Assert.Equal(7, t.Count);
        Assert.Equal(0, MimeTypes.Empty.Count);
        Assert.Null(MimeTypes.Empty.Lookup("html"));
    }

    [Fact]
    public unsafe void ATableAdoptedFromAnotherBlockAnswersAsTheParseDidWithoutReadingTheFile()
    {
        MimeTypes parsed = MimeTypes.Parse(File.ReadAllBytes(BundledTypes()));
        ReadOnlySpan<byte> image = parsed.Image;
        byte* copy = (byte*)NativeMemory.Alloc((nuint)image.Length); // never freed: adopted tables live as long as the process
        image.CopyTo(new Span<byte>(copy, image.Length));
        string path = "/nonexistent/adopted-" + Guid.NewGuid().ToString("N") + "/mime.types";
        Assert.True(MimeTypes.Adopt(path, copy, image.Length));
        MimeTypes adopted = MimeTypes.Load(path);
        Assert.Equal(parsed.Count, adopted.Count);
        foreach (string ext in new[] { "html", "css", "js", "png", "svg", "json", "txt", "gz", "wasm", "zzz-none" })
        {
            Assert.Equal(parsed.Lookup(ext), adopted.Lookup(ext));
        }

        Assert.Same(adopted.Lookup("html"), adopted.Lookup("html"));
    }

    [Fact]
    public unsafe void ABlockThatIsNotAWholeTableIsNotAdopted()
    {
        byte[] image = MimeTypes.Parse(Text).Image.ToArray();
        string path = "/nonexistent/refused-" + Guid.NewGuid().ToString("N");
        fixed (byte* p = image)
        {
            Assert.False(MimeTypes.Adopt(path, p, image.Length - 2));
            image[0] ^= 0xFF;
            Assert.False(MimeTypes.Adopt(path, p, image.Length));
        }

        Assert.Throws<IOException>(() => MimeTypes.Load(path));
    }

    [Fact]
    public void AnEditedFileIsReadAgainAnUnchangedOneIsNot()
    {
        string dir = Directory.CreateTempSubdirectory("pluma-mime-").FullName;
        try
        {
            string path = Path.Combine(dir, "mime.types");
            File.WriteAllText(path, "text/plain txt\n");
            MimeTypes first = MimeTypes.Load(path);
            Assert.Same(first, MimeTypes.Load(path));
            File.WriteAllText(path, "text/x-edited txt md\n");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
            MimeTypes second = MimeTypes.Load(path);
            Assert.Equal("text/x-edited", second.Lookup("txt"));
            Assert.Equal("text/x-edited", second.Lookup("md"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string BundledTypes()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "conf", "mime.types")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new InvalidOperationException("no conf/mime.types above the test's folder"), "conf", "mime.types");
    }
}
