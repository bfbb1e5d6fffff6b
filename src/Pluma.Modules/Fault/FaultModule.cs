using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Fault;

/// <summary>
/// mod_fault, a diagnostic module of Pluma's own in the spirit of Apache's example modules
/// (modules/examples/): it misbehaves on purpose so that tests can show a failing module costs
/// one request, never the child or its other connections. No bundled file loads it; a test
/// tree (or an administrator chasing a problem) enables it with
/// <c>LoadModule fault_module mod_fault.so</c> and picks a fault with SetHandler:
/// <list type="bullet">
/// <item><c>pluma-fault</c>: the handler throws before any output (the client gets a 500).</item>
/// <item><c>pluma-fault-after-head</c>: the handler sends the head and part of a body, then
/// throws (the connection closes: the response cannot be completed).</item>
/// <item><c>pluma-fault-log</c>: a normal 200, then the log hook throws.</item>
/// <item><c>pluma-fault-header</c>: answers 200 with a field <c>X-Pluma-Fault</c> holding the
/// percent-decoded query string, so that CR, LF or NUL from the client reach the response
/// head writer (which must refuse them).</item>
/// </list>
/// </summary>
public static class FaultModule
{
    public const string Name = "fault_module";

    /// <summary>The bytes sent before <c>pluma-fault-after-head</c> throws: more than the engine buffers, so the head is out.</summary>
    public const int BodyBeforeThrow = 64 * 1024;

    public static HttpModule Create() => new(new ModuleDescriptor(Name, "mod_fault.c"))
    {
        Handler = Handle,
        Log = Log,
    };

    private static int Handle(RequestRecord r)
    {
        switch (r.Handler)
        {
            case "pluma-fault":
                throw new InvalidOperationException("mod_fault: pluma-fault handler threw before any output");
            case "pluma-fault-after-head":
                r.Response.ContentType = "text/plain";
                byte[] chunk = new byte[BodyBeforeThrow];
                chunk.AsSpan().Fill((byte)'f');
                r.Response.Write(chunk);
                r.Response.Flush();
                throw new InvalidOperationException("mod_fault: pluma-fault-after-head handler threw after the head went out");
            case "pluma-fault-log":
                Plain(r, "mod_fault: the log hook will throw\n"u8);
                return HookResult.Done;
            case "pluma-fault-header":
                string query = r.Request.QueryString ?? string.Empty;
                r.Response.Headers.Set("X-Pluma-Fault", Uri.UnescapeDataString(query));
                Plain(r, "mod_fault: X-Pluma-Fault is set\n"u8);
                return HookResult.Done;
            default:
                return HookResult.Declined;
        }
    }

    private static void Log(RequestRecord r)
    {
        if (r.Handler == "pluma-fault-log")
        {
            throw new InvalidOperationException("mod_fault: pluma-fault-log log hook threw");
        }
    }

    private static void Plain(RequestRecord r, ReadOnlySpan<byte> body)
    {
        r.Response.ContentType = "text/plain";
        r.Response.ContentLength = body.Length;
        r.Response.Write(body);
    }
}
