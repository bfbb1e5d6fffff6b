using System.Collections.Generic;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Pluma.Http.Tests.Support;

/// <summary>Serves one file for every request through <see cref="StaticFileResponder"/>, as the core handler will.</summary>
public sealed class FileApplication(string path, string? contentType = "text/plain", long inode = 0, StaticFileOptions? options = null) : IHttpApplication
{
    public List<string> Log { get; } = [];

    public void ProcessRequest(HttpContext context)
    {
        var info = new FileInfo(path);
        using SafeFileHandle handle = File.OpenHandle(path);
        StaticFileResponder.Respond(context, new StaticFile(handle, info.Length, info.LastWriteTimeUtc, inode, contentType), options);
    }

    public void LogRequest(HttpContext context) =>
        Log.Add(context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + context.Response.BodyBytesSent.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
