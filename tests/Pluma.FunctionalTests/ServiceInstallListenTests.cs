using System.Collections.Generic;
using System.IO;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// scripts/install.sh's choice of listener (LISTEN, SSL_LISTEN, and the older PORT), into a
/// temporary DESTDIR with a stand-in binary: nothing is started, so these need no root.
/// </summary>
public sealed class ServiceInstallListenTests : IDisposable
{
    private readonly TempDirectory _temp = new("pluma-install-listen-");
    private readonly string _fake;

    public ServiceInstallListenTests()
    {
        _fake = _temp.Combine("pluma");
        File.WriteAllText(_fake, "#!/bin/sh\nexit 0\n");
        Assert.Equal(0, ProcessRunner.Run("chmod", ["755", _fake]).ExitCode);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ListenPutsItsAddressInPortsConfAndItsPortInTheDefaultVirtualHost()
    {
        ProcessResult r = Install(("LISTEN", "127.0.0.1:18080"), ("SSL_LISTEN", "127.0.0.1:18443"));

        Assert.True(r.ExitCode == 0, r.Combined);
        string ports = Read("/etc/pluma/ports.conf");
        Assert.Contains("\nListen 127.0.0.1:18080\n", ports);
        Assert.Contains("\tListen 127.0.0.1:18443\n", ports);
        Assert.StartsWith("<VirtualHost *:18080>\n", Read("/etc/pluma/sites-available/000-default.conf"));
        Assert.StartsWith("<VirtualHost *:18443>\n", Read("/etc/pluma/sites-available/default-ssl.conf"));
    }

    [Fact]
    public void ListenWinsOverPort()
    {
        ProcessResult r = Install(("PORT", "81"), ("LISTEN", "[::1]:8081"));

        Assert.True(r.ExitCode == 0, r.Combined);
        Assert.Contains("\nListen [::1]:8081\n", Read("/etc/pluma/ports.conf"));
        Assert.StartsWith("<VirtualHost *:8081>\n", Read("/etc/pluma/sites-available/000-default.conf"));
    }

    [Fact]
    public void PortStillListensOnEveryAddressAsDebianDoes()
    {
        ProcessResult r = Install(("PORT", "8081"), ("SSL_PORT", "8444"));

        Assert.True(r.ExitCode == 0, r.Combined);
        string ports = Read("/etc/pluma/ports.conf");
        Assert.Contains("\nListen 8081\n", ports);
        Assert.Contains("\tListen 8444\n", ports);
        Assert.StartsWith("<VirtualHost *:8081>\n", Read("/etc/pluma/sites-available/000-default.conf"));
    }

    [Fact]
    public void ListenWithoutAPortIsRefusedBeforeAnythingIsInstalled()
    {
        ProcessResult r = Install(("LISTEN", "127.0.0.1:"));

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("install.sh: '127.0.0.1:' is not a Listen address (PORT, ADDR:PORT or [ADDR]:PORT)\n", r.StandardError);
        Assert.False(Directory.Exists(_temp.Combine("root")));
    }

    private string Read(string path) => File.ReadAllText(_temp.Combine("root") + path);

    private ProcessResult Install(params (string Name, string Value)[] settings)
    {
        var env = new Dictionary<string, string?>
        {
            ["DESTDIR"] = _temp.Combine("root"),
            ["PLUMA_BINARY"] = _fake,
            ["PREFIX"] = null,
            ["PORT"] = null,
            ["SSL_PORT"] = null,
            ["LISTEN"] = null,
            ["SSL_LISTEN"] = null,
        };
        foreach (var (name, value) in settings)
        {
            env[name] = value;
        }

        return ProcessRunner.Run("sh", [Path.Combine(RepositoryPaths.Root, "scripts", "install.sh")], env);
    }
}
