using System.Threading;
using Pluma.Connections;
using Pluma.Connections.Diagnostics;
using Pluma.Mpm.Native;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Child;

/// <content>The worker threads: wait on the workers' epoll set, serve, park or close.</content>
internal sealed partial class EventChild
{
    private void WorkerThread(int index)
    {
        ChildContext c = Context;
        WorkerSlotWriter writer = c.Board.OpenWorker(c.Slot, index);
        writer.Attach(Environment.ProcessId, Sys.GetTid(), c.Generation);
        var status = new ScoreboardWorkerStatus(writer);
        writer.SetStatus(ScoreState.Ready);
        try
        {
            while (true)
            {
                Interlocked.Increment(ref _idleWorkers);
                bool got = _workEp.WaitOne(-1, out ulong key, out _);
                Interlocked.Decrement(ref _idleWorkers);
                if (!got)
                {
                    continue;
                }

                if (key == EpollSet.WakeKey)
                {
                    // The stop latch stays set; wake the next waiting worker with it too.
                    _workEp.Wake();
                    break;
                }

                EventConnection? e = key == NewConnectionKey ? TakeNewConnection() : Unpark((long)key);
                if (e is null)
                {
                    continue;
                }

                if (e.State == ConnState.WriteCompletion)
                {
                    writer.SetStatus(ScoreState.BusyWrite);
                    ContinueWriting(e);
                }
                else
                {
                    Serve(e, writer, status);
                }

                writer.SetStatus(IsGraceful ? ScoreState.Graceful : ScoreState.Ready);
                if (!_accepting)
                {
                    // A listener that stopped accepting for want of workers re-checks now.
                    _listenEp.Wake();
                }
            }
        }
        finally
        {
            writer.SetStatus(ScoreState.Dead);
            Interlocked.Decrement(ref _liveWorkers);
            _listenEp.Wake();
        }
    }

    private EventConnection? TakeNewConnection()
    {
        if (!_doorbell.TryTake())
        {
            return null; // another worker answered this ring
        }

        lock (_newConnections)
        {
            return _newConnections.TryDequeue(out EventConnection? e) ? e : null;
        }
    }

    private void Serve(EventConnection e, WorkerSlotWriter writer, ScoreboardWorkerStatus status)
    {
        SocketConnection conn = e.Conn;
        if (e.IsNew)
        {
            e.IsNew = false;
            writer.ConnectionStarted(conn.RemoteEndPoint.Address);
            conn.DrainRequested = DrainProbe;
        }

        e.State = ConnState.Processing;
        conn.Status = status;
        writer.SetStatus(ScoreState.BusyRead);
        ConnectionStep step;
        try
        {
            step = Context.Handler.Serve(conn);
        }
        catch (Exception ex)
        {
            Context.Log.Write(LogLevel.Error, Context.Module, "PL00101: connection handler failed: " + ex.Message);
            step = ConnectionStep.Close;
        }

        conn.Status = NullWorkerStatus.Instance;
        if (conn.HasPendingOutput)
        {
            // The client is slower than the response: the connection waits for writability, this worker goes on.
            e.AfterWrite = step;
            Park(e, ConnState.WriteCompletion, TimeoutMs(conn.PendingOutputTimeout));
            return;
        }

        if (step == ConnectionStep.Close || IsGraceful)
        {
            writer.SetStatus(ScoreState.Closing);
        }

        ParkAfterResponse(e, step);
    }

    /// <summary>
    /// The client can take more of its response: write what it takes without blocking, then the
    /// connection moves on as its handler asked (keep-alive or lingering close).
    /// </summary>
    private void ContinueWriting(EventConnection e)
    {
        bool done;
        try
        {
            done = e.Conn.TryCompletePendingOutput();
        }
        catch (ConnectionResetException)
        {
            Close(e);
            return;
        }

        if (done)
        {
            ParkAfterResponse(e, e.AfterWrite);
        }
        else
        {
            Park(e, ConnState.WriteCompletion, TimeoutMs(e.Conn.PendingOutputTimeout));
        }
    }

    /// <summary>The response is out: wait for the next request, or close with a lingering close.</summary>
    private void ParkAfterResponse(EventConnection e, ConnectionStep step)
    {
        if (step == ConnectionStep.WaitForNextRequest && !IsGraceful)
        {
            Park(e, ConnState.KeepAlive, Math.Max(1, TimeoutMs(e.Conn.KeepAliveTimeout)));
        }
        else
        {
            e.Conn.ShutdownWrite();
            Interlocked.Increment(ref _lingering);
            Park(e, ConnState.Lingering, IsGraceful ? s_shortLingerMs : s_lingerMs);
        }
    }

    private static long TimeoutMs(TimeSpan timeout) => (long)timeout.TotalMilliseconds;
}
