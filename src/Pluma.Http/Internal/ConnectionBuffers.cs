using System.Buffers;
using System.Threading;
using Pluma.Connections;

namespace Pluma.Http.Internal;

/// <summary>
/// The buffers a connection holds while a worker serves it (the request's input, the output,
/// the response head's scratch), shared by every worker of the process, one stack per size.
/// ArrayPool.Shared keeps one array of each size in every thread that ever rented one, for a
/// minute or more, so a threaded child held about 28 KiB for each of its ThreadsPerChild
/// workers whether or not they were busy at once; here a process holds as many as were in use
/// at the same time, and gives them all up when it goes idle (<see cref="IdleMemory"/>).
/// Other sizes (a head or body that outgrew its buffer) go to ArrayPool.Shared.
/// </summary>
internal static class ConnectionBuffers
{
    public const int InputSize = 8192;
    public const int OutputSize = 16384;
    public const int ScratchSize = 4096;

    // Past this many idle buffers of one size a returned one is left to the GC: the bound on
    // what a burst can leave cached (about 7 MiB for all three sizes).
    private const int MaxKept = 256;

    private static readonly BufferStack s_input = new(InputSize);
    private static readonly BufferStack s_output = new(OutputSize);
    private static readonly BufferStack s_scratch = new(ScratchSize);

    static ConnectionBuffers() => IdleMemory.OnRelease(Clear);

    public static byte[] Rent(int size) => StackFor(size)?.Rent() ?? ArrayPool<byte>.Shared.Rent(size);

    public static void Return(byte[] buffer)
    {
        BufferStack? stack = StackFor(buffer.Length);
        if (stack is not null)
        {
            stack.Return(buffer);
        }
        else if (buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Forgets every idle buffer (those in use come back later and are kept again).</summary>
    public static void Clear()
    {
        s_input.Clear();
        s_output.Clear();
        s_scratch.Clear();
    }

    private static BufferStack? StackFor(int size) => size switch
    {
        InputSize => s_input,
        OutputSize => s_output,
        ScratchSize => s_scratch,
        _ => null,
    };

    private sealed class BufferStack(int size)
    {
        private readonly Lock _gate = new();
        private readonly byte[]?[] _items = new byte[]?[MaxKept];
        private int _count;

        // The buffer returned last, taken and given back with one atomic exchange: a worker that
        // serves one keep-alive request after another finds it there without the lock (six lock
        // round trips per request were about 600 instructions of the keep-alive path, bench/README).
        private byte[]? _hot;

        public byte[] Rent()
        {
            if (Interlocked.Exchange(ref _hot, null) is { } hot)
            {
                return hot;
            }

            lock (_gate)
            {
                if (_count > 0)
                {
                    byte[] buffer = _items[--_count]!;
                    _items[_count] = null;
                    return buffer;
                }
            }

            return GC.AllocateUninitializedArray<byte>(size);
        }

        public void Return(byte[] buffer)
        {
            if (Interlocked.CompareExchange(ref _hot, buffer, null) is null)
            {
                return;
            }

            lock (_gate)
            {
                if (_count < _items.Length)
                {
                    _items[_count++] = buffer;
                }
            }
        }

        public void Clear()
        {
            Volatile.Write(ref _hot, null);
            lock (_gate)
            {
                Array.Clear(_items, 0, _count);
                _count = 0;
            }
        }
    }
}
