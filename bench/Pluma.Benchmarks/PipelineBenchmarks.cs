using System.IO;
using System.Net;
using BenchmarkDotNet.Attributes;
using Pluma.Connections;
using Pluma.Host;
using Pluma.Modules.Hosting;

namespace Pluma.Benchmarks;

/// <summary>
/// One keep-alive <c>GET /small.txt</c> (100 bytes) per operation through the real request
/// pipeline, built as a child builds it (<see cref="ConfigSession"/>, <see cref="RuntimeFactory"/>)
/// from a temporary copy of a configuration: vhost choice, translate_name, the section walk,
/// authz, mime, dir, the default handler with its open-file cache, and the access log.
/// <list type="bullet">
/// <item><c>bundled</c>: the checkout's conf/ tree (what <c>make run</c> serves: event MPM,
/// Debian's module set, the vhost's combined access log and other-vhosts-access-log).</item>
/// <item><c>peers</c>: the configuration bench/pluma-candidate.sh gives the peers.sh harness
/// (mpm, authz_core, mime, dir; no access log).</item>
/// <item><c>peers-htaccess</c>: the same with AllowOverride All on the document root and an
/// .htaccess there (one AddType): the walk's stat of each level's access file and the cached
/// parse.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private IConnectionHandler _handler = null!;
    private BenchConnection _connection = null!;
    private ErrorLogSet? _logs;
    private string _top = "";

    [Params("bundled", "peers", "peers-htaccess")]
    public string Tree { get; set; } = "bundled";

    [GlobalSetup]
    public void Setup()
    {
        // A folder of its own per setup: --inProcess runs every case in one process.
        _top = Directory.CreateTempSubdirectory("pluma-pipeline-bench-").FullName;
        string www = Path.Combine(_top, "www", "html");
        Directory.CreateDirectory(www);
        File.WriteAllBytes(Path.Combine(www, "small.txt"), "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopq\n"u8.ToArray());
        string conf = Path.Combine(_top, "conf");
        CopyTree(Path.Combine(RepositoryRoot(), "conf"), conf);
        var options = new CommandLineOptions();
        int port;
        if (Tree is "peers" or "peers-htaccess")
        {
            port = 8081;
            string text = PeersConfiguration(_top, www, Path.Combine(conf, "mime.types"), port);
            if (Tree == "peers-htaccess")
            {
                text += "<Directory \"" + www + "\">\n  AllowOverride All\n</Directory>\n";
                File.WriteAllText(Path.Combine(www, ".htaccess"), "AddType text/plain .txt\n");
            }

            File.WriteAllText(Path.Combine(conf, "peers.conf"), text);
            options.ConfigFile = "peers.conf";
            Environment.SetEnvironmentVariable("APACHE_RUN_DIR", _top);
        }
        else
        {
            port = 8080;
            // Each setup sources its own tree's envvars (the previous case's tree is gone).
            Environment.SetEnvironmentVariable("APACHE_RUN_DIR", null);
            EnvVarsFile.ImportIfNeeded(conf);
        }

        ConfigSession session = ConfigSession.LoadForRestart(options, conf);
        _logs = new ErrorLogSet(session.Config.ServerRoot);
        _handler = RuntimeFactory.Build(session, _logs).Handler;
        _connection = new BenchConnection(System.Text.Encoding.ASCII.GetBytes(
            "GET /small.txt HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"))
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, port),
        };

        // One request outside the measurement: it must be a 200 with the file.
        _connection.Rewind();
        _handler.Serve(_connection);
        if (_connection.BytesSent < 100 + 100)
        {
            throw new InvalidOperationException("GET /small.txt did not send the file (" + _connection.BytesSent + " bytes)");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logs?.Dispose();
        Directory.Delete(_top, recursive: true);
    }

    [Benchmark]
    public ConnectionStep SmallFileKeepAlive()
    {
        // Stay far from MaxKeepAliveRequests (100 in the bundled tree): every request keeps the connection.
        _connection.RequestCount = 10;
        _connection.Rewind();
        return _handler.Serve(_connection);
    }

    // Mirrors bench/pluma-candidate.sh (the configuration peers.sh measures).
    private static string PeersConfiguration(string top, string docroot, string mimeTypes, int port) => $"""
        ServerRoot "{top}"
        DefaultRuntimeDir "{top}"
        PidFile "{top}/pluma.pid"
        ServerName 127.0.0.1
        Listen 127.0.0.1:{port}
        LoadModule mpm_event_module modules/mod_mpm_event.so
        LoadModule authz_core_module modules/mod_authz_core.so
        LoadModule mime_module modules/mod_mime.so
        LoadModule dir_module modules/mod_dir.so
        Timeout 300
        KeepAlive On
        MaxKeepAliveRequests 0
        KeepAliveTimeout 5
        HostnameLookups Off
        ErrorLog "{top}/error.log"
        LogLevel warn
        TypesConfig "{mimeTypes}"
        DocumentRoot "{docroot}"
        <Directory />
          Options FollowSymLinks
          AllowOverride None
          Require all denied
        </Directory>
        <Directory "{docroot}">
          Options Indexes FollowSymLinks
          AllowOverride None
          Require all granted
        </Directory>
        DirectoryIndex index.html

        """;

    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Pluma.slnx")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("no Pluma.slnx above " + AppContext.BaseDirectory);
    }

    internal static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }

        foreach (string d in Directory.GetDirectories(from))
        {
            CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
        }
    }
}
