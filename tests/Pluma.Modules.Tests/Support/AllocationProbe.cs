using System.Net;
using Microsoft.Win32.SafeHandles;
using Pluma.Connections;
using Xunit;

namespace Pluma.Modules.Tests.Support;

/// <summary>
/// Serves one request over and over on a connection that never touches a socket, and asserts
/// that a run of them allocates nothing once warm (AllocationTests; linked into
/// Pluma.Pipeline.Tests, which runs the host's trees in a process of their own).
/// </summary>
internal static class AllocationProbe
{
    // Small enough to fit in one second on a loaded machine, large enough that an allocation
    // on any path a request takes shows.
    private const int RequestsPerRun = 300;
    private const int MaxAttempts = 50;

    public static void AssertAllocatesNothing(RepeatingConnection c, Func<ConnectionStep> serveOne)
    {
        Serve(c, serveOne, 2_000);
        Assert.True(c.LastResponseOk, "the warm-up requests were not answered 200");

        // The Date header and %t are rebuilt once a second (DateHeaderCache, LogTime: under a
        // hundred bytes each). So only a run that starts and ends in one second is judged, right
        // after a request that brought those caches to that second: any byte it allocates is a
        // per-request allocation. A run that crossed a second boundary is measured again.
        long allocated = -1;
        for (int attempt = 0; attempt < MaxAttempts && allocated < 0; attempt++)
        {
            long second = DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond;
            Serve(c, serveOne, 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Serve(c, serveOne, RequestsPerRun);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond == second)
            {
                allocated = bytes;
            }
        }

        Assert.True(allocated >= 0, $"no run of {RequestsPerRun} requests fitted in one second in {MaxAttempts} attempts");
        Assert.True(c.LastResponseOk);
        Assert.Equal(0, allocated);
    }

    private static void Serve(RepeatingConnection c, Func<ConnectionStep> serveOne, int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            c.RequestCount = 0; // a fresh connection each time, as far as MaxKeepAliveRequests goes
            // No Assert.Equal here: xunit's comparers allocate, and this loop is measured.
            if (serveOne() != ConnectionStep.WaitForNextRequest)
            {
                Assert.Fail($"request {i} closed the connection");
            }
        }
    }

    /// <summary>Hands out the same request each time it is asked for input; discards what is sent.</summary>
    public sealed class RepeatingConnection : Connection
    {
        private readonly byte[] _request;

        [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
        public RepeatingConnection(byte[] request, IPEndPoint? remote = null, IPEndPoint? local = null)
        {
            _request = request;
            RemoteEndPoint = remote ?? new IPEndPoint(IPAddress.Loopback, 40000);
            LocalEndPoint = local ?? new IPEndPoint(IPAddress.Loopback, 8080);
        }

        public bool LastResponseOk { get; private set; }

        public override int Receive(Span<byte> buffer, TimeSpan timeout)
        {
            _request.CopyTo(buffer);
            return _request.Length;
        }

        public override void Send(ReadOnlySpan<byte> data, TimeSpan timeout)
        {
            if (data.StartsWith("HTTP/1.1 "u8))
            {
                LastResponseOk = data[9..].StartsWith("200 "u8);
            }
        }

        public override void SendFile(SafeFileHandle file, long offset, long count, TimeSpan timeout)
        {
        }
    }
}
