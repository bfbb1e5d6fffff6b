using Pluma.Modules.ProxyFcgi;

namespace Pluma.Modules.Tests.ProxyFcgi;

/// <summary>SCRIPT_FILENAME per ProxyFCGIBackendType, as mod_proxy_fcgi's send_environment forms it.</summary>
public sealed class FcgiScriptFilenameTests
{
    [Theory]
    [InlineData(FcgiBackendType.Unknown, "proxy:fcgi://localhost/var/www/html/index.php", null, "proxy:fcgi://localhost/var/www/html/index.php")]
    [InlineData(FcgiBackendType.Fpm, "proxy:fcgi://127.0.0.1:9000/srv/app/x.php", "a=1", "proxy:fcgi://127.0.0.1:9000/srv/app/x.php")]
    [InlineData(FcgiBackendType.Generic, "proxy:fcgi://127.0.0.1:9000/srv/app/x.php", null, "/srv/app/x.php")]
    [InlineData(FcgiBackendType.Generic, "proxy:fcgi://127.0.0.1:9000/srv/app/x.php?a=1", "a=1", "/srv/app/x.php")]
    [InlineData(FcgiBackendType.Generic, "proxy:fcgi://127.0.0.1:9000/srv/app/x.php?a=1", "b=2", "/srv/app/x.php?a=1")]
    [InlineData(FcgiBackendType.Fpm, "proxy:balancer://php/srv/x.php", null, "/srv/x.php")]
    public void FollowsTheBackendType(FcgiBackendType type, string filename, string? args, string expected)
    {
        var d = new FcgiDirConfig { BackendType = type };
        Assert.Equal(expected, FcgiParams.ScriptFilename(filename, d, args));
    }

    [Fact]
    public void TheInnerSectionsTypeWinsAndFixupsAccumulate()
    {
        var outer = new FcgiDirConfig { BackendType = FcgiBackendType.Generic };
        var inner = new FcgiDirConfig();
        Assert.Equal(FcgiBackendType.Generic, FcgiDirConfig.Merge(outer, inner).BackendType);
        Assert.False(FcgiDirConfig.Merge(outer, inner).MayBeFpm);
        Assert.True(FcgiDirConfig.Merge(outer, new FcgiDirConfig { BackendType = FcgiBackendType.Fpm }).MayBeFpm);
    }
}
