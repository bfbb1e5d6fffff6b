using System.Net;
using System.Threading;

namespace Pluma.Scoreboard;

/// <summary>
/// Writes one worker slot: the state letter, request counts, bytes, times and the
/// ExtendedStatus strings (Apache's ap_update_child_status / ap_increment_counts). One per
/// worker thread, reused for every connection: nothing here allocates.
/// </summary>
public sealed class WorkerSlotWriter
{
    private readonly Scoreboard _board;

    internal WorkerSlotWriter(Scoreboard board, int slot, int thread)
    {
        _board = board;
        Slot = slot;
        Thread = thread;
    }

    public int Slot { get; }

    public int Thread { get; }

    private ref WorkerScore Score => ref _board.Worker(Slot, Thread);

    /// <summary>Claims the slot for this process and thread: status Starting, child counters reset.</summary>
    public void Attach(int pid, int tid, int generation)
    {
        ref WorkerScore w = ref Score;
        w.Pid = pid;
        w.Tid = tid;
        w.Generation = generation;
        w.MyAccessCount = 0;
        w.MyBytesServed = 0;
        w.ConnCount = 0;
        w.ConnBytes = 0;
        SetStatus(ScoreState.Starting);
    }

    /// <summary>The current state.</summary>
    public byte Status => Volatile.Read(ref Score.Status);

    /// <summary>Sets the state (a <see cref="ScoreState"/> value).</summary>
    public void SetStatus(byte state)
    {
        ref WorkerScore w = ref Score;
        Volatile.Write(ref w.Status, state);
        w.LastUsed = Scoreboard.NowMicros();
    }

    /// <summary>Sets the state to <paramref name="state"/> only if it is still <paramref name="expected"/>.</summary>
    public void ReplaceStatus(byte expected, byte state)
    {
        ref WorkerScore w = ref Score;
        if (Interlocked.CompareExchange(ref w.Status, state, expected) == expected)
        {
            w.LastUsed = Scoreboard.NowMicros();
        }
    }

    /// <summary>A new connection from <paramref name="client"/>: per-connection counters restart.</summary>
    public void ConnectionStarted(IPAddress? client)
    {
        ref WorkerScore w = ref Score;
        w.ConnCount = 0;
        w.ConnBytes = 0;
        Span<char> text = stackalloc char[48];
        if (client is not null && client.TryFormat(text, out int written))
        {
            Scoreboard.WriteAscii(w.Client, text[..written]);
        }
        else
        {
            w.Client[0] = 0;
        }
    }

    /// <summary>A request line was read (ExtendedStatus).</summary>
    public void RequestStarted(ReadOnlySpan<byte> requestLine, ReadOnlySpan<char> virtualHost, ReadOnlySpan<char> protocol)
    {
        ref WorkerScore w = ref Score;
        w.StartTime = Scoreboard.NowMicros();
        Scoreboard.WriteBytes(w.Request, requestLine);
        Scoreboard.WriteAscii(w.Vhost, virtualHost);
        Scoreboard.WriteAscii(w.Protocol, protocol);
    }

    /// <summary>The request's virtual host, once the protocol's application chose it.</summary>
    public void VirtualHostChosen(ReadOnlySpan<char> virtualHost) => Scoreboard.WriteAscii(Score.Vhost, virtualHost);

    /// <summary>A request was answered with <paramref name="bytesSent"/> bytes (%O).</summary>
    public void RequestFinished(long bytesSent)
    {
        ref WorkerScore w = ref Score;
        long now = Scoreboard.NowMicros();
        w.StopTime = now;
        if (w.StartTime > 0 && now > w.StartTime)
        {
            w.Duration += now - w.StartTime;
        }

        w.AccessCount++;
        w.MyAccessCount++;
        w.ConnCount++;
        w.BytesServed += bytesSent;
        w.MyBytesServed += bytesSent;
        w.ConnBytes += bytesSent;
    }
}
