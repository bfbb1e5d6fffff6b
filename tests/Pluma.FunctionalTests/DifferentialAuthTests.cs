using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>Debian's apache2 and bin/pluma on two copies of the tree with <see cref="AuthTree"/>'s setup.</summary>
public sealed class DifferentialAuthServers : IDisposable
{
    internal DifferentialServers Servers { get; } = new(AuthTree.Prepare);

    public void Dispose() => Servers.Dispose();
}

/// <summary>
/// Basic authentication compared with Debian's apache2 on raw requests: for each hash kind
/// htpasswd writes, with no, good, wrong and malformed credentials, plus Require user, group,
/// RequireAll, missing files and settings. Each exchange is compared as the response (status,
/// key headers, WWW-Authenticate, body), the error-log lines it caused (times, pids and client
/// ports left out) and the user the access log recorded (%u).
/// </summary>
public sealed partial class DifferentialAuthTests : IClassFixture<DifferentialAuthServers>
{
    private static readonly Dictionary<string, string> s_cases = MakeCases();

    private readonly DifferentialServers _servers;

    public DifferentialAuthTests(DifferentialAuthServers servers)
    {
        _servers = servers.Servers;
    }

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in s_cases.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlumaAuthenticatesAsDebiansApacheDoes(string name)
    {
        string request = s_cases[name];
        string apache = Exchange(_servers.ApacheTree, request);
        string pluma = Exchange(_servers.PlumaTree, request);
        if (apache != pluma)
        {
            Assert.Fail($"{name}: Pluma differs from Debian's apache2.\n===== apache2 =====\n{apache}===== pluma =====\n{pluma}=====");
        }
    }

    private static Dictionary<string, string> MakeCases()
    {
        var cases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string kind, string _) in AuthTree.Kinds)
        {
            string path = "/auth/" + kind + "/";
            cases[kind + ": no credentials"] = Get(path, null);
            cases[kind + ": right password"] = Get(path, AuthTree.Basic(AuthTree.User, AuthTree.Password));
            cases[kind + ": second user"] = Get(path, AuthTree.Basic(AuthTree.OtherUser, AuthTree.OtherPassword));
            cases[kind + ": wrong password"] = Get(path, AuthTree.Basic(AuthTree.User, "wrong"));
            cases[kind + ": unknown user"] = Get(path, AuthTree.Basic("mallory", AuthTree.Password));
        }

        const string md5 = "/auth/md5/";
        string good = Convert.ToBase64String(Encoding.ASCII.GetBytes(AuthTree.User + ":" + AuthTree.Password));
        cases["scheme in lower case"] = Get(md5, "basic " + good);
        cases["spaces and a tab before the credentials"] = Get(md5, "Basic  \t " + good);
        cases["other scheme"] = Get(md5, "Bearer " + good);
        cases["scheme alone"] = Get(md5, "Basic");
        cases["tab after the scheme"] = Get(md5, "Basic\t" + good);
        cases["bad base64"] = Get(md5, "Basic !!!!");
        cases["base64 cut by a bad character"] = Get(md5, "Basic " + good[..8] + "*" + good[8..]);
        cases["base64 without padding"] = Get(md5, "Basic " + good.TrimEnd('='));
        cases["no colon"] = Get(md5, "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(AuthTree.User)));
        cases["empty user and password"] = Get(md5, "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(":")));
        cases["NUL inside the password"] = Get(md5, "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(AuthTree.User + ":" + AuthTree.Password + "\0tail")));
        cases["colon in the password"] = Get(md5, AuthTree.Basic(AuthTree.User, AuthTree.Password + ":x"));
        cases["user name is case-sensitive"] = Get(md5, AuthTree.Basic("Alice", AuthTree.Password));
        cases["HEAD with the right password"] = "HEAD " + md5 + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AuthTree.Basic(AuthTree.User, AuthTree.Password) + "\r\nConnection: close\r\n\r\n";
        cases["file below the protected folder"] = Get(md5 + "index.html", AuthTree.Basic(AuthTree.User, AuthTree.Password));

        cases["require user: listed"] = Get("/auth/user/", AuthTree.Basic(AuthTree.OtherUser, AuthTree.OtherPassword));
        cases["require user: not listed"] = Get("/auth/user/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["require user: no credentials"] = Get("/auth/user/", null);
        cases["require group: member"] = Get("/auth/group/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["require group: in another group"] = Get("/auth/group/", AuthTree.Basic(AuthTree.OtherUser, AuthTree.OtherPassword));
        cases["RequireAll with an ip that denies: no credentials"] = Get("/auth/all/", null);
        cases["RequireAll with an ip that denies: right password"] = Get("/auth/all/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["missing AuthUserFile: no credentials"] = Get("/auth/missing/", null);
        cases["missing AuthUserFile: credentials"] = Get("/auth/missing/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["no AuthName"] = Get("/auth/noname/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["no AuthType"] = Get("/auth/notype/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["AuthName with quotes"] = Get("/auth/quote/", null);
        cases["AuthzSendForbiddenOnFailure"] = Get("/auth/forbidden/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["missing AuthGroupFile"] = Get("/auth/nogroups/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["Satisfy Any with an allowed address: no credentials"] = Get("/auth/satisfy/", null);
        cases["Satisfy All with an allowed address: no credentials"] = Get("/auth/satisfyall/", null);
        cases["Satisfy All with an allowed address: right password"] = Get("/auth/satisfyall/", AuthTree.Basic(AuthTree.User, AuthTree.Password));
        cases["unprotected page ignores credentials"] = Get("/files/small.txt", AuthTree.Basic("nobody", "x"));
        return cases;
    }

    private static string Get(string path, string? authorization) =>
        "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (authorization is null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n";

    /// <summary>The response, the error-log lines it caused and the access log's %u, as comparable text.</summary>
    private static string Exchange(TempConfTree tree, string request)
    {
        string errorLog = Path.Combine(tree.LogDir, "error.log");
        string accessLog = Path.Combine(tree.LogDir, "access.log");
        long errorStart = Length(errorLog);
        int accessLines = Lines(accessLog).Length;
        bool head = request.StartsWith("HEAD", StringComparison.Ordinal);

        var text = new StringBuilder();
        using (var conn = new RawHttp(tree.Port))
        {
            conn.Send(request);
            HttpResponseText r = conn.ReadResponse(head);
            text.Append(DifferentialView.Render(r, tree.Port, DifferentialBody.Full, head));
            text.Append("WWW-Authenticate: ").Append(r.Header("WWW-Authenticate") ?? "(none)").Append('\n');
        }

        // The log phase runs after the response went out: wait for its line.
        string[] access = Lines(accessLog);
        var wait = Stopwatch.StartNew();
        while (access.Length <= accessLines && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
            access = Lines(accessLog);
        }

        string user = access.Length > accessLines ? access[^1].Split(' ')[2] : "(no access log line)";
        text.Append("%u: ").Append(user).Append('\n');
        foreach (string line in NewErrorLines(errorLog, errorStart))
        {
            text.Append("error.log: ").Append(NormaliseErrorLine(line, tree.Top)).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<string> NewErrorLines(string path, long start)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        f.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(f, Encoding.Latin1);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    // "[time] [auth_basic:error] [pid 1:tid 2] [client 127.0.0.1:5555] AH01617: ..." -> "[auth_basic:error] [client] AH01617: ..."
    private static string NormaliseErrorLine(string line, string top)
    {
        line = ErrorLinePrefix().Replace(line, "[$1] ");
        line = ClientPort().Replace(line, "[client]");
        return line.Replace(top, "TREE", StringComparison.Ordinal);
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static string[] Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(f, Encoding.Latin1);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"^\[[^\]]+\] \[([^\]]+)\] \[pid [^\]]+\] ")]
    private static partial Regex ErrorLinePrefix();

    [GeneratedRegex(@"\[client 127\.0\.0\.1:\d+\]")]
    private static partial Regex ClientPort();
}
