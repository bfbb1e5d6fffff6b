using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Protocol;

public class FileETagSettingTests
{
    [Theory]
    [InlineData("All", FileETagComponents.All)]
    [InlineData("None", FileETagComponents.None)]
    [InlineData("INode MTime", FileETagComponents.INode | FileETagComponents.MTime)]
    [InlineData("LastModified", FileETagComponents.MTime)]
    [InlineData("Digest", FileETagComponents.Digest)]
    [InlineData("+INode -MTime", FileETagComponents.INode)]
    [InlineData("-Size", FileETagComponents.Default)]
    public void KeywordsGiveApacheComponents(string arguments, FileETagComponents expected)
    {
        Assert.True(FileETagSetting.TryApply(FileETagSetting.Unset, arguments, out FileETagSetting setting, out _));
        Assert.Equal(expected, setting.Effective);
    }

    [Fact]
    public void RelativeKeywordsAdjustTheEnclosingDirectory()
    {
        FileETagSetting.TryApply(FileETagSetting.Unset, "All", out FileETagSetting parent, out _);
        FileETagSetting.TryApply(FileETagSetting.Unset, "-INode", out FileETagSetting child, out _);
        Assert.Equal(FileETagComponents.MTime | FileETagComponents.Size, FileETagSetting.Merge(parent, child).Effective);
        FileETagSetting.TryApply(FileETagSetting.Unset, "MTime", out FileETagSetting absolute, out _);
        Assert.Equal(FileETagComponents.MTime, FileETagSetting.Merge(parent, absolute).Effective);
    }

    [Theory]
    [InlineData("+All", "FileETag keyword 'All' cannot be used with '+' or '-'")]
    [InlineData("-None", "FileETag keyword 'None' cannot be used with '+' or '-'")]
    [InlineData("Inodes", "Unknown keyword 'Inodes' for FileETag directive")]
    public void BadKeywordsAreRefusedWithApacheWords(string arguments, string message)
    {
        Assert.False(FileETagSetting.TryApply(FileETagSetting.Unset, arguments, out _, out string? error));
        Assert.Equal(message, error);
    }
}
