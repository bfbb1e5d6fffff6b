using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Pluma.Testing;
using Xunit;

namespace Pluma.FunctionalTests;

/// <summary>
/// Event's edge-triggered registration (EventChild.Ownership): the kernel announces input once,
/// also while a worker holds the connection, so input that arrives as a worker parks it, or that
/// a read leaves in the socket, must still be served. A lost wake-up shows here as a response
/// that never comes: KeepAliveTimeout is long (60 s), each read waits 20 s at most.
/// </summary>
public sealed class EventEdgeTriggeredTests
{
    // Two workers: connections change hands between workers and the listener all the time.
    private const string TwoWorkers = ThreadedMpmBlocks.OneChildTwoWorkers;

    private const int SmallFileBytes = 100;

    // A lost wake-up: no answer within this, a receive that times out.
    private const int ReadTimeoutMs = 20_000;

    // The server's first read of a request asks for its whole input buffer
    // (ConnectionBuffers.InputSize, 8 KiB): 64 requests of 128 bytes fill it exactly.
    private const int RequestBytes = 128;
    private const int RequestsPerBuffer = 8192 / RequestBytes;

    [Fact]
    public void RequestsLeftInTheSocketByAReadThatFilledTheBufferAreServed()
    {
        using var tree = Tree();
        using var server = PlumaServer.Start(tree);
        using var client = new PipelinedClient(tree.Port, ReadTimeoutMs);
        Assert.Equal(200, client.Fetch("/small.txt")); // now parked between requests

        string exact = PaddedGet(RequestBytes);
        Assert.Equal(RequestBytes, exact.Length);
        for (int round = 0; round < 10; round++)
        {
            // Two buffers' worth in one write, one announcement: the first read takes 8 KiB and
            // ends on a request boundary, so the worker serves 64 and parks with the other 64
            // still in the socket, announced already.
            var batch = new StringBuilder();
            for (int i = 0; i < 2 * RequestsPerBuffer; i++)
            {
                batch.Append(exact);
            }

            client.Send(batch.ToString());
            for (int i = 0; i < 2 * RequestsPerBuffer; i++)
            {
                Assert.Equal(200, client.ReadResponse());
            }
        }
    }

    [Fact]
    public void ManyKeepAliveClientsPipeliningAndPausingAtRandomLoseNoRequest()
    {
        const int Clients = 12;
        const int RoundsPerClient = 250;
        using var tree = Tree();
        using var server = PlumaServer.Start(tree);
        int[] served = new int[Clients];
        var failures = new List<Exception>();
        var threads = new List<Thread>();
        for (int c = 0; c < Clients; c++)
        {
            int index = c;
            var thread = new Thread(() =>
            {
                try
                {
                    served[index] = RunRandomClient(tree.Port, 1000 + index, RoundsPerClient);
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            });
            threads.Add(thread);
            thread.Start();
        }

        var deadline = System.Diagnostics.Stopwatch.StartNew();
        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromMilliseconds(Math.Max(0, 240_000 - deadline.ElapsedMilliseconds))), "the clients did not finish within 4 minutes");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(served.Sum() >= Clients * RoundsPerClient, $"{served.Sum()} responses");
        Assert.DoesNotContain("PL00101", tree.ErrorLog, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequestThatArrivesDuringWriteCompletionIsServedAfterIt()
    {
        using var tree = Tree();
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(Path.Combine(tree.DocumentRoot, "big.bin"), big);
        using var server = PlumaServer.Start(tree);
        for (int round = 0; round < 3; round++)
        {
            using var client = new PipelinedClient(tree.Port, ReadTimeoutMs, receiveBuffer: 4096);
            client.Send(Get("/big.bin"));
            // The response fills both socket buffers: the listener holds the connection in
            // write completion when the next request comes (not pipelined: a later segment).
            Thread.Sleep(300);
            client.Send(Get("/small.txt"));
            Thread.Sleep(100);
            Assert.Equal(200, client.ReadResponse(out long bigLength));
            Assert.Equal(big.Length, bigLength);
            Assert.Equal(200, client.ReadResponse(out long smallLength));
            Assert.Equal(SmallFileBytes, smallLength);
            // And the connection is parked once more, for a request sent after a pause.
            Thread.Sleep(50);
            Assert.Equal(200, client.Fetch("/small.txt"));
        }
    }

    /// <summary>One client's random mix of the ways a request can meet a parking worker; returns the responses read.</summary>
    private static int RunRandomClient(int port, int seed, int rounds)
    {
        var random = new Random(seed);
        int served = 0;
        using var client = new PipelinedClient(port, ReadTimeoutMs);
        for (int round = 0; round < rounds; round++)
        {
            switch (random.Next(5))
            {
                case 0:
                    // The next request as soon as the last response is in: it meets the worker
                    // between its send and its park.
                    client.Send(Get("/small.txt"));
                    served += Expect200(client);
                    break;
                case 1:
                    // Pipelined in one write.
                    int depth = random.Next(2, 7);
                    var batch = new StringBuilder();
                    for (int i = 0; i < depth; i++)
                    {
                        batch.Append(Get("/small.txt"));
                    }

                    client.Send(batch.ToString());
                    for (int i = 0; i < depth; i++)
                    {
                        served += Expect200(client);
                    }

                    break;
                case 2:
                    // A head in two parts, a short pause between: the connection waits for the
                    // rest of its head, or the worker reads both.
                    string request = Get("/small.txt");
                    int cut = random.Next(1, request.Length - 1);
                    client.Send(request[..cut]);
                    Thread.Sleep(random.Next(0, 3));
                    client.Send(request[cut..]);
                    served += Expect200(client);
                    break;
                case 3:
                    // Two requests in two writes, the second while the first is being served.
                    client.Send(Get("/small.txt"));
                    Thread.SpinWait(random.Next(0, 20_000));
                    client.Send(Get("/small.txt"));
                    served += Expect200(client);
                    served += Expect200(client);
                    break;
                default:
                    // A pause after the response: the connection is parked when the request comes.
                    Thread.Sleep(random.Next(0, 4));
                    client.Send(Get("/small.txt"));
                    served += Expect200(client);
                    break;
            }
        }

        return served;
    }

    private static int Expect200(PipelinedClient client)
    {
        int status = client.ReadResponse(out long length);
        Assert.Equal(200, status);
        Assert.Equal(SmallFileBytes, length);
        return 1;
    }

    private static string Get(string path) => "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /// <summary>A GET of the small file exactly <paramref name="bytes"/> long (a padding header makes up the rest).</summary>
    private static string PaddedGet(int bytes)
    {
        const string Start = "GET /small.txt HTTP/1.1\r\nHost: localhost\r\nX-Pad: ";
        const string End = "\r\n\r\n";
        return Start + new string('p', bytes - Start.Length - End.Length) + End;
    }

    private static TempConfTree Tree()
    {
        var tree = new TempConfTree();
        tree.SwitchMpm("event");
        tree.WriteConf("mods-available/mpm_event.conf", TwoWorkers + "\nKeepAliveTimeout 60\nMaxKeepAliveRequests 0\n");
        File.WriteAllText(Path.Combine(tree.DocumentRoot, "small.txt"), new string('x', SmallFileBytes));
        return tree;
    }
}
