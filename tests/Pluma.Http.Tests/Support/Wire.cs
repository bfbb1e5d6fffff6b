using System.Text.RegularExpressions;
using Pluma.Connections;

namespace Pluma.Http.Tests.Support;

/// <summary>Runs the engine over scripted input and returns the bytes it wrote, Date masked.</summary>
public static partial class Wire
{
    public static (string Output, ConnectionStep Step, InMemoryConnection Connection) Run(TestApplication app, HttpServerOptions? options, params string[] pieces)
    {
        var connection = InMemoryConnection.Create();
        foreach (string piece in pieces)
        {
            connection.Enqueue(piece);
        }

        var handler = new HttpConnectionHandler(app, options ?? new HttpServerOptions());
        ConnectionStep step = handler.Serve(connection);
        return (MaskDate(connection.Output), step, connection);
    }

    public static (string Output, ConnectionStep Step, InMemoryConnection Connection) Run(params string[] pieces) => Run(new TestApplication(), null, pieces);

    public static string MaskDate(string output) => DateLine().Replace(output, "Date: X\r\n");

    [GeneratedRegex("Date: [^\r]*\r\n")]
    private static partial Regex DateLine();

    /// <summary>Apache's 2.4.71 error page, as the probes captured it.</summary>
    public static string Page(string statusLine, string paragraph, string host = "localhost", int port = 80) =>
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n<title>" + statusLine
        + "</title>\n</head><body>\n<h1>" + statusLine[4..] + "</h1>\n" + paragraph
        + "<hr>\n<address>Apache/2.4.71 (Debian) Server at " + host + " Port " + port + "</address>\n</body></html>\n";

    public const string BadRequestParagraph = "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n";
}
