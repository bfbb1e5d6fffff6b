using System.Collections.Generic;
using System.IO;
using System.Text;
using Pluma.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Pluma.FunctionalTests.Http2;

/// <summary>
/// MaxKeepAliveRequests over HTTP/2, compared with Debian's apache2 on the same tree: one h2c
/// connection sends requests one after another (each after the previous response ended), or
/// several at once, and the test records what each stream got and where the GOAWAY came.
/// Apache 2.4.71's mod_http2 does not count a connection's streams against MaxKeepAliveRequests
/// (it bounds how often a secondary connection is reused, an internal matter): 110 streams under
/// MaxKeepAliveRequests 100, or 6 under 3, are all served on one connection, which ends with
/// GOAWAY NO_ERROR naming the last stream when it has been idle for KeepAliveTimeout. Pluma does
/// the same.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class Http2MaxKeepAliveRequestsTests
{
    private readonly ITestOutputHelper _output;

    public Http2MaxKeepAliveRequestsTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(3, 6, false)]
    [InlineData(3, 6, true)]
    [InlineData(100, 110, false)]
    public void StreamsPerConnectionAreWhatApacheAllows(int max, int count, bool atOnce)
    {
        using var pair = new DifferentialPair(tree =>
        {
            ProcessResult r = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "bin", "a2enmod"), ["-q", "http2"], tree.AdminEnvironment);
            Assert.True(r.ExitCode == 0, r.Combined);
            tree.AppendToMainConfig("MaxKeepAliveRequests " + max + "\n");
        });
        string apache = Sequence(pair.ApachePort, count, atOnce);
        string pluma = Sequence(pair.PlumaPort, count, atOnce);
        _output.WriteLine("apache2: " + apache);
        _output.WriteLine("pluma:   " + pluma);
        Assert.Equal(apache, pluma);
    }

    /// <summary>
    /// <paramref name="count"/> GETs on one connection, one by one or all at once; per stream its
    /// status (or "-" when it got none), then the GOAWAY (error and last stream) and whether the
    /// connection closed.
    /// </summary>
    private static string Sequence(int port, int count, bool atOnce)
    {
        using H2RawClient c = H2RawClient.Cleartext(port);
        c.Handshake();
        c.SendWindowUpdate(0, 1 << 30); // the responses of many streams fit the connection's window
        var text = new StringBuilder();
        int? goAwayLast = null;
        int? goAwayCode = null;
        bool closed = false; // the connection closed while the requests were being sent
        void Look(H2Frame? f)
        {
            if (f is null)
            {
                closed = true;
            }
            else if (f.Type == H2RawClient.GoAway && goAwayLast is null)
            {
                goAwayLast = H2RawClient.ReadInt(f.Payload) & 0x7fffffff;
                goAwayCode = H2RawClient.ReadInt(f.Payload.AsSpan(4));
            }
        }

        var streams = new List<int>();
        for (int i = 0; i < count; i++)
        {
            int id = (i * 2) + 1;
            streams.Add(id);
            if (atOnce)
            {
                c.Get(id);
                continue;
            }

            if (closed || goAwayLast is not null)
            {
                break; // no new streams after GOAWAY (6.8)
            }

            c.Get(id);
            // Until this stream ends or is reset, or a GOAWAY leaves it out, or the connection closes.
            while (true)
            {
                H2Frame? f = c.Next(x => x.Type == H2RawClient.GoAway || (x.Stream == id && (x.Type == H2RawClient.RstStream || (x.Type is H2RawClient.Headers or H2RawClient.Data && (x.Flags & H2RawClient.EndStream) != 0))));
                Look(f);
                if (f is not { Type: H2RawClient.GoAway } || goAwayLast < id)
                {
                    break;
                }
            }
        }

        // Then whatever else comes: the rest of the responses, a GOAWAY, the close.
        H2Frame? g;
        while ((g = c.Next(_ => true)) is not null)
        {
            Look(g);
        }

        foreach (int id in streams)
        {
            text.Append(id).Append(':').Append(c.Status.TryGetValue(id, out int s) && c.Ended.Contains(id) ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-").Append(' ');
        }

        text.Append("GOAWAY ").Append(goAwayCode is int code ? H2Codes.Name(code) + " last " + goAwayLast : "none");
        return text.ToString();
    }
}
