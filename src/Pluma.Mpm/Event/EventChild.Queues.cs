using System.Collections.Generic;
using Pluma.Connections;
using Pluma.Mpm.Common;
using Pluma.Transport;

namespace Pluma.Mpm.Event;

/// <content>The per-connection record and the FIFO timeout queues of the event child.</content>
internal sealed partial class EventChild
{
    /// <summary>One client connection of the event child, for its whole life (no per-request allocation).</summary>
    private sealed class EventConnection
    {
        public EventConnection(SocketConnection conn)
        {
            Conn = conn;
        }

        public SocketConnection Conn { get; }

        public ConnState State { get; set; }

        public long Deadline { get; set; }

        public bool IsNew { get; set; } = true;

        /// <summary>Parked for the rest of a head it has begun: left out of the accept limit.</summary>
        public bool OutsideAcceptLimit { get; set; }

        /// <summary>What the handler asked for once the pending output is written (write completion).</summary>
        public ConnectionStep AfterWrite { get; set; }

        /// <summary>In the epoll set (added at its first park, edge-triggered, until it is closed).</summary>
        public bool Registered { get; set; }

        /// <summary>The events it is registered for (input, or input and output during write completion).</summary>
        public uint Events { get; set; }

        public EventConnection? Prev { get; set; }

        public EventConnection? Next { get; set; }

        /// <summary>The timeout queue it is parked in; null while a worker, or the listener, holds it.</summary>
        public TimeoutQueue? Queue { get; set; }

        public bool IsParked => Queue is not null;
    }

    /// <summary>
    /// Connections with the same timeout, in arrival order, so the oldest is always at the head
    /// and expiry is checked in O(1) (Apache's timeout queues, one per distinct timeout).
    /// </summary>
    private sealed class TimeoutQueue
    {
        public TimeoutQueue(long timeoutMs)
        {
            TimeoutMs = timeoutMs;
        }

        public long TimeoutMs { get; }

        public EventConnection? Head { get; private set; }

        public int Count { get; private set; }

        private EventConnection? Tail { get; set; }

        public void Append(EventConnection e)
        {
            e.Queue = this;
            e.Next = null;
            e.Prev = Tail;
            if (Tail is null)
            {
                Head = e;
            }
            else
            {
                Tail.Next = e;
            }

            Tail = e;
            Count++;
        }

        /// <summary>
        /// Inserts by <see cref="EventConnection.Deadline"/> (for waits whose deadlines differ, as
        /// request heads extended by MinRate do), walking back from the tail where most land.
        /// </summary>
        public void InsertByDeadline(EventConnection e)
        {
            EventConnection? after = Tail;
            while (after is not null && after.Deadline > e.Deadline)
            {
                after = after.Prev;
            }

            if (after is null || after == Tail)
            {
                if (after is null && Head is not null)
                {
                    e.Queue = this;
                    e.Prev = null;
                    e.Next = Head;
                    Head.Prev = e;
                    Head = e;
                    Count++;
                    return;
                }

                Append(e);
                return;
            }

            e.Queue = this;
            e.Prev = after;
            e.Next = after.Next;
            after.Next!.Prev = e;
            after.Next = e;
            Count++;
        }

        public void Remove(EventConnection e)
        {
            if (e.Queue != this)
            {
                return;
            }

            if (e.Prev is null)
            {
                Head = e.Next;
            }
            else
            {
                e.Prev.Next = e.Next;
            }

            if (e.Next is null)
            {
                Tail = e.Prev;
            }
            else
            {
                e.Next.Prev = e.Prev;
            }

            e.Prev = e.Next = null;
            e.Queue = null;
            Count--;
        }

        /// <summary>Moves every entry whose deadline passed into <paramref name="into"/> (no longer parked).</summary>
        public void TakeExpired(long now, List<EventConnection> into)
        {
            while (Head is not null && Head.Deadline <= now)
            {
                EventConnection e = Head;
                Remove(e);
                into.Add(e);
            }
        }
    }
}
