using System.IO;
using System.Runtime.CompilerServices;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Tests.Core;

public sealed class FileStatusTests
{
    [Fact]
    public void AFileStatusFitsInSixtyFourBytes()
    {
        // Copied several times a request (r.FileInfo); past 64 bytes NativeAOT copies it with a
        // call to memmove: about 300 instructions a keep-alive request measured with callgrind.
        Assert.True(Unsafe.SizeOf<FileStatus>() <= 64, Unsafe.SizeOf<FileStatus>() + " bytes");
    }

    [Fact]
    public void TheSameFileOnAnotherDeviceIsNotTheSameFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            FileStatus st = FileStatus.Of(path);
            Assert.True(st.IsSameFileAs(FileStatus.Of(path)));
            Assert.False(st.IsSameFileAs(st with { Device = st.Device + 1 }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
