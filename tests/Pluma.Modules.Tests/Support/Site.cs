using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using Pluma.Config;
using Pluma.Connections;
using Pluma.Http;
using Pluma.Modules.Alias;
using Pluma.Modules.Authz;
using Pluma.Modules.Autoindex;
using Pluma.Modules.Core;
using Pluma.Modules.Dir;
using Pluma.Modules.Hosting;
using Pluma.Modules.LogConfig;
using Pluma.Modules.Mime;
using Pluma.Modules.Pipeline;
using Pluma.Modules.ReqTimeout;
using Pluma.Modules.Rewrite;
using Pluma.Modules.Status;
using Pluma.Testing;

namespace Pluma.Modules.Tests.Support;

/// <summary>
/// A whole server in memory: a temporary ServerRoot with a docroot, a configuration using these
/// modules, the lead's runtime and RequestPipeline, and Pluma.Http's engine on a scripted connection.
/// </summary>
public sealed class Site : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ErrorLogSet _logs;
    private HttpConnectionHandler? _handler;
    private ServerRuntime? _runtime;

    public Site()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "logs"));
        // Debian's types file when the machine has it (CI installs apache2), else the few types the tests use.
        string types = Path.Combine(_dir.Path, "mime.types");
        if (File.Exists("/etc/mime.types"))
        {
            File.Copy("/etc/mime.types", types);
        }
        else
        {
            File.WriteAllText(types, "text/html html htm\ntext/plain txt\nimage/png png\ntext/x-sh sh\napplication/octet-stream bin\n");
        }
        _logs = new ErrorLogSet(_dir.Path);
    }

    public string ServerRoot => _dir.Path;

    public string Root => Path.Combine(_dir.Path, "www");

    public string ErrorLog => File.Exists(Path.Combine(ServerRoot, "logs", "error.log")) ? File.ReadAllText(Path.Combine(ServerRoot, "logs", "error.log")) : string.Empty;

    public void Write(string relative, string content)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Loads <paramref name="conf"/> after a preamble that loads every module and sets ServerRoot-relative files.</summary>
    public Site Configure(string conf)
    {
        List<HttpModule> modules = [new HttpModule(CoreModule.Descriptor), AliasModule.Create(), AccessCompatModule.Create(), AuthzCoreModule.Create(), AuthzCoreModule.CreateHost(),
            AutoindexModule.Create(), DirModule.Create(), LogConfigModule.Create(), MimeModule.Create(), ReqTimeoutModule.Create(), StatusModule.Create(), RewriteModule.Create()];
        string loads = string.Concat(modules.Where(m => !m.Descriptor.IsStatic).Select(m => "LoadModule " + m.Name + " x\n"));
        File.WriteAllText(Path.Combine(ServerRoot, "apache2.conf"),
            loads + "ServerName localhost\nErrorLog logs/error.log\nTypesConfig mime.types\nDocumentRoot " + Root + "\n" + conf);
        LoadedConfig config = ConfigLoader.Load(new ConfigLoadOptions
        {
            Registry = new ModuleRegistry(modules.Select(m => m.Descriptor)),
            ServerRoot = ServerRoot,
            Environment = new Dictionary<string, string>(),
        });
        var info = new ServerInfo { Version = "Apache/2.4.71 (Debian)", Banner = "Apache/2.4.71 (Debian)", MpmName = "event", Built = new Lazy<string>(() => "2026-11-12T08:58:41") };
        _runtime = ServerRuntimeBuilder.Build(config, modules, _logs, info);
        _handler = new HttpConnectionHandler(new RequestPipeline(_runtime), new HttpServerOptions());
        return this;
    }

    /// <summary>Gives mod_status a live scoreboard (the lead's builder leaves it null outside the MPM).</summary>
    public Site WithScoreboard(Func<Pluma.Scoreboard.ScoreboardSnapshot?> read)
    {
        ServerRuntime rt = _runtime!;
        _runtime = new ServerRuntime(rt.Config, rt.Modules, rt.MainServer, rt.VirtualHosts, rt.ErrorLog, rt.Info) { Scoreboard = read, StartTime = rt.StartTime };
        _handler = new HttpConnectionHandler(new RequestPipeline(_runtime), new HttpServerOptions());
        return this;
    }

    /// <summary>Serves <paramref name="connection"/> once, as a worker would.</summary>
    public ConnectionStep Serve(Connection connection) => _handler!.Serve(connection);

    /// <summary>Sends one request (Connection: close) and returns the raw response.</summary>
    public string Get(string target, string extraHeaders = "", IPAddress? client = null)
    {
        var c = MemoryConnection.For("GET " + target + " HTTP/1.1\r\nHost: localhost:8080\r\n" + extraHeaders + "Connection: close\r\n\r\n", client);
        while (_handler!.Serve(c) == ConnectionStep.WaitForNextRequest && c.HasPendingInput)
        {
        }

        return c.Output;
    }

    public void Dispose()
    {
        if (_runtime is not null)
        {
            foreach (HttpModule m in _runtime.Modules)
            {
                if (m.Name == LogConfigModule.Name)
                {
                    LogConfigModule.CloseLogs(_runtime);
                }
            }
        }

        _logs.Dispose();
        _dir.Dispose();
    }
}
