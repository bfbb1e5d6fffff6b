using System.Collections.Generic;
using Pluma.Transport;

namespace Pluma.Mpm.Event;

/// <content>
/// Parking a connection with the listener and taking it back, with no epoll_ctl per request.
///
/// A connection enters the epoll set once, at its first park, edge-triggered (EPOLLET), and stays
/// until it is closed. Apache (and Pluma before) re-armed an EPOLLONESHOT registration with one
/// epoll_ctl at every park; an edge-triggered one needs none, but the kernel then announces input
/// once, when it arrives, also while a worker holds the connection; if nobody remembered that,
/// input that arrived then and was left unread would never be announced again: a lost wake-up,
/// and a client waiting for its keep-alive timeout.
///
/// Who owns a connection: a worker, from the listener's hand-over (<see cref="Resume"/>) to its
/// park; the listener while the connection is parked (in a timeout queue) or being moved on by it
/// (write completion, lingering close). Only the owner reads, writes or closes the descriptor.
/// Parking is the connection's entry into its timeout queue, under <c>_lock</c>.
///
/// What is remembered: the socket counts the listener's announcements of input
/// (<see cref="SocketConnection.NoteInputEdge"/>, under <c>_lock</c>), and every receive notes the
/// count as it was before its system call when that call emptied the socket
/// (<see cref="SocketConnection.MayHoldAnnouncedInput"/>). Input that arrived before such a receive
/// was read by it; input that arrives after it makes a new announcement.
///
/// Why no wake-up is lost. Take input that arrives while a worker owns the connection, is not
/// read, and the worker parks. Its arrival makes an edge E, which the listener takes from
/// epoll_wait at some point and then handles under <c>_lock</c>: counts it, then, if the
/// connection is parked, hands it to a worker. Two orders only, as both sides hold <c>_lock</c>:
/// - the listener handles E before the worker's publication: E's input is unread, so no receive
///   that began after E was counted emptied the socket; the count has moved past the worker's
///   last emptying receive, so the worker, under the lock that publishes, sees
///   MayHoldAnnouncedInput, does not publish, looks (poll, no wait) and, with input there,
///   serves it (<see cref="Resume"/>); with nothing there (it read it after all) the look notes
///   the socket empty and the worker tries the publication again; or
/// - the listener handles E after the publication: the connection is parked, so the listener
///   takes it (<see cref="OnParkedEvent"/>), unless a receive that began after E was counted
///   emptied the socket: that receive read E's input, so waking a worker for it would be a
///   wake for nothing, and any later input makes a later edge.
/// An edge not yet taken when the worker publishes falls in the second case. A first park adds
/// the descriptor and a change of events (write completion) modifies it: both make the kernel
/// report what is ready already, so neither needs the look.
/// Input left unread while the listener owned the connection (it arrived during write
/// completion) is counted the same way, so the park that follows looks too. The look is one
/// poll(2) and happens only when input came while the connection was owned: a client that sends
/// its next request after the response's park costs no look.
/// Errors go one way only, toward a wake for nothing: a receive that read the count just before
/// the listener counted E, and E's input just after, leaves the count behind. The worker then
/// looks in vain, or the listener hands the parked connection over and its handler finds nothing
/// to read. Never toward a lost wake-up. A keep-alive connection woken so is still between
/// requests: its handler says WaitForNextRequest, and it parks again for KeepAliveTimeout, not for
/// the header stage of RequestReadTimeout (which would close an idle client early, or hold a
/// worker for it in a stopping child), as a head already begun does (WaitForInput).
/// </content>
internal sealed partial class EventChild
{
    private const uint InputEvents = EpollSet.EPOLLIN | EpollSet.EPOLLRDHUP | EpollSet.EPOLLET;

    // Only while the client is slower than the response (write completion).
    private const uint OutputEvents = InputEvents | EpollSet.EPOLLOUT;

    // The reported bits that mean the receiving side has news: input, the client's end, an error.
    private const uint InputBits = EpollSet.EPOLLIN | EpollSet.EPOLLRDHUP | EpollSet.EPOLLHUP | EpollSet.EPOLLERR;

    // Every connection in the epoll set, parked or not (under _lock): an edge of one that a
    // worker holds is counted on it.
    private readonly Dictionary<long, EventConnection> _registered = new();

    /// <summary>An edge of a registered connection, on the listener thread.</summary>
    private void OnParkedEvent(long id, uint events)
    {
        EventConnection? e;
        lock (_lock)
        {
            if (!_registered.TryGetValue(id, out e))
            {
                return; // closed since
            }

            long edge = (events & InputBits) != 0 ? e.Conn.NoteInputEdge() : 0;
            if (!e.IsParked)
            {
                return; // its owner looks before it parks it again
            }

            if (e.State is ConnState.KeepAlive or ConnState.ReadingHead)
            {
                if (edge == 0 || e.Conn.EmptiedSince(edge))
                {
                    return; // its input was read before the park: it stays parked
                }

                Unpark(e);
            }
            else if (e.State == ConnState.WriteCompletion)
            {
                Unpark(e);
            }
        }

        if (e.State == ConnState.WriteCompletion)
        {
            ContinueWriting(e);
            return;
        }

        if (e.State == ConnState.Lingering)
        {
            // Read to the end or to EAGAIN: what comes later is announced again.
            if (e.Conn.DrainAvailable())
            {
                lock (_lock)
                {
                    Unpark(e);
                }

                Close(e);
            }

            return;
        }

        if (e.State == ConnState.ReadingHead)
        {
            // More of the head is here: a worker resumes the parse where it stopped.
            Resume(e);
            return;
        }

        // Readable keep-alive connection: its next request is waiting. Apache hands it to an idle
        // worker or, when none is idle at that instant, closes it so the client retries elsewhere.
        // Pluma queues it for the next free worker instead (the queue is bounded by this child's
        // accept limit): workers free up within microseconds, while a connection closed with a
        // request in flight is a failed request for the client (README, "deliberate differences").
        // Busy workers still trigger Apache's closing of idle keep-alive connections. A stopping
        // child serves it too (Apache's closes it): the handler answers with Connection: close.
        if (IdleWorkers <= 0)
        {
            _workersWereBusy = !IsGraceful;
        }

        Resume(e);
    }

    /// <summary>Called by a worker (or the listener after write completion): the connection waits in the listener's epoll set, holding no thread.</summary>
    private void Park(EventConnection e, ConnState state, long timeoutMs)
    {
        e.State = state;
        e.Deadline = Environment.TickCount64 + timeoutMs;
        Publish(e, timeoutMs);
    }

    /// <summary>
    /// The request head is incomplete: park the connection until it is readable or the deadline
    /// its handler gave passes (then a worker calls the handler, which answers the timeout as
    /// mod_reqtimeout does). No worker waits for a slow client, so a slowloris costs no service.
    /// </summary>
    private void ParkForInput(EventConnection e)
    {
        e.State = ConnState.ReadingHead;
        e.Deadline = e.Conn.InputDeadline;
        Publish(e, 0);
    }

    /// <summary>Hands the connection to the listener (see the protocol above), or serves, drains or closes it when that turns out to be due.</summary>
    private void Publish(EventConnection e, long timeoutMs)
    {
        uint events = e.State == ConnState.WriteCompletion ? OutputEvents : InputEvents;
        while (true)
        {
            bool ok = true;
            lock (_lock)
            {
                // Added or changed under the lock, so the listener cannot close (and the kernel
                // reuse) the descriptor in between.
                bool look = false;
                if (!e.Registered)
                {
                    ok = _ep.Add(e.Conn.Fd, events, (ulong)e.Conn.Id);
                    if (ok)
                    {
                        e.Registered = true;
                        _registered[e.Conn.Id] = e;
                    }
                }
                else if (e.Events != events)
                {
                    ok = _ep.Modify(e.Conn.Fd, events, (ulong)e.Conn.Id);
                }
                else
                {
                    look = e.State != ConnState.WriteCompletion && e.Conn.MayHoldAnnouncedInput;
                }

                e.Events = events;
                if (ok && !look)
                {
                    Enqueue(e, timeoutMs);
                    return;
                }
            }

            if (!ok)
            {
                Close(e);
                return;
            }

            // Still this thread's: input may be in the socket whose edge the listener has seen.
            if (!e.Conn.LookForInput())
            {
                continue; // empty as of the look: publish (the lock sees any edge since)
            }

            if (e.State != ConnState.Lingering)
            {
                Resume(e);
                return;
            }

            if (e.Conn.DrainAvailable())
            {
                Close(e);
                return;
            }
        }
    }

    /// <summary>Parks a registered connection in the timeout queue of its state (under <see cref="_lock"/>).</summary>
    private void Enqueue(EventConnection e, long timeoutMs)
    {
        if (e.State == ConnState.ReadingHead)
        {
            _headQueue.InsertByDeadline(e);
            // A client that has sent part of a head is left out of the accept limit (a slowloris
            // must not close the door); one that has sent nothing yet counts, as in Apache, so a
            // burst of new connections is spread over the children instead of taken by the first.
            if (e.Conn.HasReceived)
            {
                e.OutsideAcceptLimit = true;
                _readingHead++;
            }
        }
        else
        {
            TimeoutQueue q = e.State switch
            {
                ConnState.Lingering => timeoutMs == s_shortLingerMs ? _shortLingerQueue : _lingerQueue,
                ConnState.WriteCompletion => QueueFor(_writeQueues, timeoutMs),
                _ => QueueFor(_keepAliveQueues, timeoutMs),
            };
            q.Append(e);
        }
    }

    /// <summary>The listener takes a parked connection back (under <see cref="_lock"/>).</summary>
    private void Unpark(EventConnection e)
    {
        e.Queue?.Remove(e);
        LeaveReadingHead(e);
    }

    /// <summary>The connection is closed (or about to be): its later edges are ignored.</summary>
    private void Forget(EventConnection e)
    {
        if (e.Registered)
        {
            lock (_lock)
            {
                _registered.Remove(e.Conn.Id);
            }
        }
    }
}
