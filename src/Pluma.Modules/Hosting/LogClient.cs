namespace Pluma.Modules.Hosting;

/// <summary>The client as the error log names it ("[client 127.0.0.1:50312]" holds this text).</summary>
public static class LogClient
{
    public static string Of(RequestRecord r) => r.Request.RemoteEndPoint.Address + ":" + r.Request.RemoteEndPoint.Port;
}
