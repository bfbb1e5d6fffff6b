using System.Text;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Protocol;

public class EntityTagTests
{
    private static readonly DateTime s_mtime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_560);

    [Theory]
    [InlineData(FileETagComponents.Default, "\"c-6475ef64ed580\"")]
    [InlineData(FileETagComponents.All, "\"b1e4f1-c-6475ef64ed580\"")]
    [InlineData(FileETagComponents.MTime, "\"6475ef64ed580\"")]
    [InlineData(FileETagComponents.INode, "\"b1e4f1\"")]
    [InlineData(FileETagComponents.Size | FileETagComponents.INode, "\"b1e4f1-c\"")]
    [InlineData(FileETagComponents.None | FileETagComponents.MTime, "")]
    public void TagsAreHexPartsJoinedByDashes(FileETagComponents components, string expected)
    {
        Span<byte> tag = stackalloc byte[EntityTag.MaxLength];
        int n = EntityTag.Format(tag, components, 0xb1e4f1, 12, s_mtime, s_mtime.AddDays(1));
        Assert.Equal(expected, Encoding.ASCII.GetString(tag[..n]));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(999_999, true)]
    [InlineData(1_000_000, false)]
    [InlineData(-5_000_000, true)]
    public void TagIsWeakWhenTheFileIsLessThanASecondOlderThanTheRequest(long microseconds, bool weak)
    {
        Span<byte> tag = stackalloc byte[EntityTag.MaxLength];
        int n = EntityTag.Format(tag, FileETagComponents.Default, 0, 1, s_mtime, s_mtime.AddTicks(microseconds * 10));
        Assert.Equal(weak, tag[..n].StartsWith("W/\""u8));
    }

    [Theory]
    [InlineData("\"a\"", "\"a\"", true, true)]
    [InlineData("\"x\", \"a\"", "\"a\"", true, true)]
    [InlineData("\"x\",\"a\" ", "\"a\"", true, true)]
    [InlineData("W/\"a\"", "\"a\"", false, true)]
    [InlineData("\"a\"", "W/\"a\"", false, true)]
    [InlineData("W/\"x\", \"a\"", "\"a\"", false, true)]
    [InlineData("\"A\"", "\"a\"", false, false)]
    [InlineData("\"a\"x", "\"a\"", false, false)]
    [InlineData("\"a,b\", \"c\"", "\"c\"", true, true)]
    [InlineData("", "\"a\"", false, false)]
    public void EntityTagListsMatchStronglyOrWeakly(string list, string etag, bool strong, bool weak)
    {
        Assert.Equal(strong, EntityTag.ListMatchesStrong(Encoding.ASCII.GetBytes(list), Encoding.ASCII.GetBytes(etag)));
        Assert.Equal(weak, EntityTag.ListMatchesWeak(Encoding.ASCII.GetBytes(list), Encoding.ASCII.GetBytes(etag)));
    }
}
