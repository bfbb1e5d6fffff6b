using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// server-status?json from the running server (bundled tree, each MPM): the same scoreboard as
/// ?auto, the limits of the tree's mpm_*.conf, the server's own child pids; and during a
/// graceful restart both generations, the old one's idle threads shown as <c>G</c> (gracefully
/// finishing) as Apache shows them, never <c>_</c>.
/// </summary>
public sealed class StatusJsonTests
{
    private const int DrainTimeoutMs = 60_000;

    public static TheoryData<string> Mpms => new() { "event", "worker", "prefork" };

    [Theory]
    [MemberData(nameof(Mpms))]
    public void JsonAgreesWithAutoAndWithTheServersChildren(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        using var server = PlumaServer.Start(tree);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        // Wait until the start-up children are all up: then two reads see the same scoreboard
        // but for the slot that serves each read.
        JsonElement json = default;
        var auto = ServerStatus.Auto(tree.Port);
        long deadline = Environment.TickCount64 + DrainTimeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            json = Json(client, tree.Port);
            auto = ServerStatus.Auto(tree.Port);
            if (!auto["Scoreboard"].Contains('S', StringComparison.Ordinal) && Sorted(auto["Scoreboard"]) == Sorted(json.GetProperty("scoreboard").GetString()!))
            {
                break;
            }

            Thread.Sleep(200);
        }

        Assert.Equal(auto["ServerMPM"], json.GetProperty("serverMpm").GetString());
        Assert.Equal(mpm, json.GetProperty("serverMpm").GetString());
        Assert.Equal(auto.Int("ParentServerMPMGeneration"), json.GetProperty("parentServerMpmGeneration").GetInt32());
        Assert.Equal(auto.Int("ParentServerConfigGeneration"), json.GetProperty("parentServerConfigGeneration").GetInt32());
        Assert.Equal(Sorted(auto["Scoreboard"]), Sorted(json.GetProperty("scoreboard").GetString()!));
        Assert.Equal(auto.Int("BusyWorkers"), json.GetProperty("busyWorkers").GetInt32());
        Assert.Equal(auto.Int("IdleWorkers"), json.GetProperty("idleWorkers").GetInt32());
        // ?auto's own request is counted by the second read only.
        Assert.InRange(auto.Int("Total Accesses") - json.GetProperty("totalAccesses").GetInt64(), 1, 1000);

        // The process slots are the server's children.
        int[] children = [.. ProcFs.Children(server.Pid).Order()];
        int[] drawn = [.. json.GetProperty("processSlots").EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()).Order()];
        Assert.Subset(children.ToHashSet(), drawn.ToHashSet());

        // The bundled tree's limits, as mpm_*.conf sets them (event/worker: 150 = 6 x 25; prefork 150 of 1).
        JsonElement limits = json.GetProperty("limits");
        Assert.Equal(150, limits.GetProperty("maxRequestWorkers").GetInt32());
        Assert.Equal(mpm == "prefork" ? 1 : 25, limits.GetProperty("threadsPerChild").GetInt32());
        Assert.Equal(mpm == "prefork" ? 150 : 6, limits.GetProperty("maxDaemons").GetInt32());
        Assert.Equal(limits.GetProperty("maxDaemons").GetInt32() * limits.GetProperty("threadsPerChild").GetInt32(), json.GetProperty("scoreboard").GetString()!.Length);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("queue").GetProperty("listenBacklog").ValueKind);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("worker")]
    public void DuringAGracefulRestartTheOldGenerationsIdleThreadsShowG(string mpm)
    {
        using var tree = new TempConfTree();
        tree.SwitchMpm(mpm);
        tree.AppendToMainConfig("KeepAliveTimeout 60\nMaxKeepAliveRequests 0");
        using var server = PlumaServer.Start(tree);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        // A kept-alive connection holds its old child until it ends (the drain never closes it first).
        using var held = new RawHttp(tree.Port);
        held.Send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, held.ReadResponse().Status);

        server.Signal(NativeSignals.SIGUSR1);
        long deadline = Environment.TickCount64 + DrainTimeoutMs;
        JsonElement json;
        do
        {
            Assert.True(Environment.TickCount64 < deadline, "no second generation drawn");
            Thread.Sleep(200);
            json = Json(client, tree.Port);
        }
        while (json.GetProperty("generations").GetArrayLength() < 2 || json.GetProperty("parentServerMpmGeneration").GetInt32() != 1);

        JsonElement old = json.GetProperty("processSlots").EnumerateArray().First(p => p.GetProperty("oldGeneration").GetBoolean());
        Assert.True(old.GetProperty("stopping").GetBoolean());
        int slot = old.GetProperty("slot").GetInt32(), pid = old.GetProperty("pid").GetInt32();
        string letters = string.Concat(json.GetProperty("workerSlots").EnumerateArray()
            .Where(w => w.GetProperty("slot").GetInt32() == slot && w.GetProperty("pid").GetInt32() == pid)
            .Select(w => w.GetProperty("state").GetString()));
        Assert.DoesNotContain("_", letters, StringComparison.Ordinal);
        if (mpm == "event")
        {
            // Event's threads wait for the parked connection's child to finish: all G. Worker's
            // idle threads exit at once ('.', no pid) and the one holding the connection is in K.
            Assert.Contains("G", letters, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("K", letters, StringComparison.Ordinal);
        }
    }

    private static JsonElement Json(HttpClient client, int port)
    {
        using HttpResponseMessage r = client.GetAsync($"http://127.0.0.1:{port}/server-status?json").Result;
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(r.Content.ReadAsStringAsync().Result).RootElement.Clone();
    }

    private static string Sorted(string letters) => new([.. letters.Order()]);
}
