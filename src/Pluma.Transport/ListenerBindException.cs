using System.Collections.Generic;

namespace Pluma.Transport;

/// <summary>
/// No Listen address could be bound. <see cref="Lines"/> are Apache's startup lines, in order,
/// e.g. <c>(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:80</c>
/// then <c>AH00451: no listening sockets available, shutting down</c>.
/// </summary>
public sealed class ListenerBindException : Exception
{
    public ListenerBindException()
        : this([])
    {
    }

    public ListenerBindException(string message)
        : this([message])
    {
    }

    public ListenerBindException(string message, Exception inner)
        : base(message, inner)
    {
        Lines = [message];
    }

    public ListenerBindException(IReadOnlyList<string> lines)
        : base(string.Join('\n', lines))
    {
        Lines = lines;
    }

    /// <summary>The lines to print on stderr (startup) or log, in Apache's order.</summary>
    public IReadOnlyList<string> Lines { get; }
}
