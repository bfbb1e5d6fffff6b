namespace Pluma.Modules.Proxy;

/// <summary>A backend that broke the protocol (bad status line, bad framing): Apache's 502.</summary>
public sealed class ProxyProtocolException : Exception
{
    public ProxyProtocolException(string message)
        : base(message)
    {
    }

    public ProxyProtocolException()
    {
    }

    public ProxyProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
