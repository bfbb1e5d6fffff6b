using System.IO;
using System.Net;
using System.Threading;
using Pluma.Connections;
using Pluma.Host;
using Pluma.Modules.Hosting;

namespace Pluma.Benchmarks;

/// <summary>
/// The real request pipeline built as a child builds it (<see cref="ConfigSession"/>,
/// <see cref="RuntimeFactory"/>) from a temporary copy of the checkout's <c>conf/</c>, with a
/// 100-byte <c>www/html/small.txt</c>. Shared by <see cref="PipelineBenchmarks"/> and the
/// allocation test of Pluma.Modules.Tests (which links this file), so the trees the benchmark
/// measures are the trees the test holds at 0 B per request.
/// <list type="bullet">
/// <item><c>bundled</c>: the checkout's conf/ tree (what <c>make run</c> serves: event MPM,
/// Debian's module set with deflate and setenvif's BrowserMatch lines, the vhost's combined access
/// log and other-vhosts-access-log).</item>
/// <item><c>peers</c>: the configuration bench/pluma-candidate.sh gives the peers.sh harness
/// (mpm, authz_core, mime, dir; no access log).</item>
/// <item><c>peers-htaccess</c>: the same with AllowOverride All on the document root and an
/// .htaccess there (one AddType): the walk's stat of each level's access file and the cached
/// parse.</item>
/// </list>
/// </summary>
public sealed class PipelineTree : IDisposable
{
    public static readonly string[] Names = ["bundled", "peers", "peers-htaccess"];

    private readonly ErrorLogSet _logs;

    private PipelineTree(string top, string www, int port, IConnectionHandler handler, ErrorLogSet logs)
    {
        Top = top;
        Www = www;
        Port = port;
        Handler = handler;
        _logs = logs;
    }

    /// <summary>The temporary folder holding conf/ and www/ (deleted by <see cref="Dispose"/>).</summary>
    public string Top { get; }

    /// <summary>The document root, www/html.</summary>
    public string Www { get; }

    /// <summary>The port the tree listens on (8080 bundled, 8081 the peers trees): the Host a request names.</summary>
    public int Port { get; }

    public IConnectionHandler Handler { get; }

    /// <summary>A keep-alive request for <paramref name="path"/> with the tree's Host, and <paramref name="extraHeaders"/> (each ending in CRLF).</summary>
    public byte[] Request(string path, string extraHeaders = "") =>
        System.Text.Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + Port + "\r\n" + extraHeaders + "\r\n");

    /// <summary>The client end of a connection to this tree (loopback, port 40000).</summary>
    public IPEndPoint Client { get; } = new(IPAddress.Loopback, 40000);

    /// <summary>The server end of a connection to this tree (loopback, <see cref="Port"/>).</summary>
    public IPEndPoint Local => new(IPAddress.Loopback, Port);

    /// <summary>Builds <paramref name="tree"/> (one of <see cref="Names"/>); <paramref name="prepare"/> may add files to www/html first.</summary>
    public static PipelineTree Build(string tree, Action<string>? prepare = null)
    {
        // A folder of its own per tree: BenchmarkDotNet's --inProcess runs every case in one process.
        string top = Directory.CreateTempSubdirectory("pluma-pipeline-tree-").FullName;
        string www = Path.Combine(top, "www", "html");
        Directory.CreateDirectory(www);
        File.WriteAllBytes(Path.Combine(www, "small.txt"), "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopq\n"u8.ToArray());
        prepare?.Invoke(www);
        DateTime written = DateTime.UtcNow;
        string conf = Path.Combine(top, "conf");
        CopyTree(Path.Combine(RepositoryRoot(), "conf"), conf);
        var options = new CommandLineOptions();
        int port;
        if (tree is "peers" or "peers-htaccess")
        {
            port = 8081;
            string text = PeersConfiguration(top, www, Path.Combine(conf, "mime.types"), port);
            if (tree == "peers-htaccess")
            {
                text += "<Directory \"" + www + "\">\n  AllowOverride All\n</Directory>\n";
                File.WriteAllText(Path.Combine(www, ".htaccess"), "AddType text/plain .txt\n");
            }

            File.WriteAllText(Path.Combine(conf, "peers.conf"), text);
            options.ConfigFile = "peers.conf";
            Environment.SetEnvironmentVariable("APACHE_RUN_DIR", top);
        }
        else if (tree == "bundled")
        {
            port = 8080;
            // Each tree sources its own envvars (a previous tree's folder is gone).
            Environment.SetEnvironmentVariable("APACHE_RUN_DIR", null);
            EnvVarsFile.ImportIfNeeded(conf);
        }
        else
        {
            throw new ArgumentException("no pipeline tree named " + tree, nameof(tree));
        }

        ConfigSession session = ConfigSession.LoadForRestart(options, conf);
        var logs = new ErrorLogSet(session.Config.ServerRoot);
        var built = new PipelineTree(top, www, port, RuntimeFactory.Build(session, logs).Handler, logs);
        WaitUntilSettled(written);
        return built;
    }

    /// <summary>
    /// Returns once files written before <paramref name="written"/> are older than the open-file
    /// cache's settle time, so that it keeps the bytes of a small file from the first request on:
    /// what is measured is the steady state of a server whose files are not being written.
    /// </summary>
    public static void WaitUntilSettled(DateTime written)
    {
        DateTime settled = written + Pluma.Modules.CoreRequest.OpenFileCache.SettleTime + TimeSpan.FromMilliseconds(20);
        for (TimeSpan left = settled - DateTime.UtcNow; left > TimeSpan.Zero; left = settled - DateTime.UtcNow)
        {
            Thread.Sleep(left);
        }
    }

    public void Dispose()
    {
        _logs.Dispose();
        Directory.Delete(Top, recursive: true);
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

    /// <summary>The checkout: the first folder above this assembly holding Pluma.slnx.</summary>
    public static string RepositoryRoot()
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

    private static void CopyTree(string from, string to)
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
