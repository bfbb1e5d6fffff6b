using System.Globalization;
using System.Text;
using System.Threading;
using Pluma.Connections;

namespace Pluma.Mpm.TestHost;

/// <summary>
/// Not HTTP: just enough for the MPM tests. Reads up to the blank line, answers 200 with the
/// serving pid in the body, keeps the connection alive unless asked to close or draining.
/// </summary>
internal sealed class TinyHttpHandler : IConnectionHandler
{
    [ThreadStatic]
    private static byte[]? t_buffer;

    public ConnectionStep Serve(Connection connection)
    {
        byte[] buffer = t_buffer ??= new byte[8192];
        int filled = 0;
        try
        {
            while (true)
            {
                int n = connection.Receive(buffer.AsSpan(filled), TimeSpan.FromSeconds(20));
                if (n == 0)
                {
                    return ConnectionStep.Close;
                }

                filled += n;
                int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    break;
                }

                if (filled == buffer.Length)
                {
                    return ConnectionStep.Close;
                }
            }

            ReadOnlySpan<byte> head = buffer.AsSpan(0, filled);
            int lineEnd = head.IndexOf("\r\n"u8);
            connection.Status.RequestStarted(head[..lineEnd], "localhost:" + connection.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture), "HTTP/1.1");
            connection.Status.SetState(WorkerState.BusyWrite);
            if (head.IndexOf("GET /sleep"u8) >= 0)
            {
                Thread.Sleep(1000);
            }

            bool close = head.IndexOf("Connection: close"u8) >= 0 || connection.IsDraining;
            string body = "pid=" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
            string response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)
                + (close ? "\r\nConnection: close" : "\r\nConnection: keep-alive") + "\r\n\r\n" + body;
            byte[] bytes = Encoding.ASCII.GetBytes(response);
            connection.Send(bytes, TimeSpan.FromSeconds(20));
            connection.Status.RequestFinished(bytes.Length);
            connection.KeepAliveTimeout = TimeSpan.FromSeconds(5);
            return close ? ConnectionStep.Close : ConnectionStep.WaitForNextRequest;
        }
        catch (ConnectionTimeoutException)
        {
            return ConnectionStep.Close;
        }
        catch (ConnectionResetException)
        {
            return ConnectionStep.Close;
        }
    }
}
