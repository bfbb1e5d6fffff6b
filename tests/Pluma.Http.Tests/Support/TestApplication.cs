using System.Collections.Generic;
using System.Text;

namespace Pluma.Http.Tests.Support;

/// <summary>An application made of a delegate; by default it answers "hello world" as text/html.</summary>
public sealed class TestApplication : IHttpApplication
{
    public Action<HttpContext> Handler { get; set; } = Hello;

    public List<string> Log { get; } = [];

    public static void Hello(HttpContext context)
    {
        context.Response.ContentType = "text/html";
        context.Response.Write("hello world"u8);
    }

    public void ProcessRequest(HttpContext context) => Handler(context);

    public void LogRequest(HttpContext context) =>
        Log.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\"{Encoding.Latin1.GetString(context.Request.RequestLineBytes)}\" {context.Response.StatusCode} {context.Response.BytesSent} {context.Response.BodyBytesSent}"));
}
