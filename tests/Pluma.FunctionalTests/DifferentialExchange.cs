using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Plays one <see cref="DifferentialCase"/> against a server over a fresh connection and
/// renders what came back as normalised text, so two servers compare with one string equality.
/// </summary>
internal static class DifferentialExchange
{
    // How long a connection must stay quiet to count as kept open after the last response.
    private const int OpenProbeMicroseconds = 700_000;

    /// <summary>The normalised transcript of <paramref name="c"/> sent to 127.0.0.1:<paramref name="port"/>.</summary>
    public static string Run(int port, DifferentialCase c)
    {
        var text = new StringBuilder();
        using var conn = new RawHttp(port, timeoutMs: 10_000);
        try
        {
            conn.Send(c.Request);
            HttpResponseText r = conn.ReadResponse(c.HeadRequest);
            text.Append(DifferentialView.Render(r, port, c.Body, c.HeadRequest));
            if (r.Status == 100)
            {
                // A client that asked for 100-continue sends the body once it is invited.
                if (c.BodyAfterContinue is not null)
                {
                    conn.Send(c.BodyAfterContinue);
                }

                text.Append(DifferentialView.Render(conn.ReadResponse(c.HeadRequest), port, c.Body, c.HeadRequest));
            }

            text.Append("after: ").Append(ConnectionState(conn.Socket)).Append('\n');
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            text.Append("(exchange failed: ").Append(e.Message).Append(")\n");
        }

        return text.ToString();
    }

    /// <summary>"closed" when the server ended the connection, "open" when it keeps it for another request.</summary>
    private static string ConnectionState(Socket socket)
    {
        if (!socket.Poll(OpenProbeMicroseconds, SelectMode.SelectRead))
        {
            return "open";
        }

        var buf = new byte[4096];
        var extra = new List<byte>();
        try
        {
            int n;
            while ((n = socket.Receive(buf)) > 0)
            {
                extra.AddRange(buf.AsSpan(0, n));
            }
        }
        catch (SocketException e)
        {
            string state = e.SocketErrorCode == SocketError.TimedOut ? "open" : "reset";
            return extra.Count == 0 ? state : state + " after extra bytes: " + Encoding.Latin1.GetString([.. extra]);
        }

        return extra.Count == 0 ? "closed" : "closed after extra bytes: " + Encoding.Latin1.GetString([.. extra]);
    }
}
