using System.Buffers;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;
using Pluma.Modules.Script;

namespace Pluma.Modules.Cgi;

/// <summary>
/// One run of mod_cgi's cgi_handler: the refusals (ExecCGI, missing file, directory), the
/// environment, the request body to stdin, the header block, then the body streamed to the
/// client as it comes (flushed whenever the script pauses), or the NPH output as is.
/// </summary>
internal sealed class CgiHandler
{
    private const int BufferSize = 16384;

    private readonly RequestRecord _r;
    private readonly CgiServerConfig _conf;
    private readonly string _tag;
    private readonly List<string> _stderr = [];
    private readonly int _timeoutMs;

    public CgiHandler(RequestRecord r, CgiServerConfig conf, string tag)
    {
        _r = r;
        _conf = conf;
        _tag = tag;
        _timeoutMs = (int)Math.Min(int.MaxValue, (r.Server.Core.Timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds);
    }

    public int Run()
    {
        RequestRecord r = _r;
        string file = r.Filename ?? string.Empty;
        string argv0 = ScriptResponse.ScriptName(r);
        bool nph = argv0.StartsWith("nph-", StringComparison.Ordinal);
        bool scriptAliased = r.Notes.TryGetValue("alias-forced-type", out string? forced) && forced.Equals(CgiModule.HandlerName, StringComparison.OrdinalIgnoreCase);
        if ((r.Core.EffectiveOptions & CoreOptions.ExecCgi) == 0 && !scriptAliased)
        {
            return ScriptError(403, "AH02809: ", "Options ExecCGI is off in this directory");
        }

        if (!r.FileInfo.Exists)
        {
            return ScriptError(404, "AH02811: ", "script not found or unable to stat");
        }

        if (r.FileInfo.IsDirectory)
        {
            return ScriptError(403, "AH02812: ", "attempt to invoke directory as script");
        }

        if (r.Core.AcceptPathInfo == false && !string.IsNullOrEmpty(r.PathInfo))
        {
            return ScriptError(404, "AH02813: ", "AcceptPathInfo off disallows user's path");
        }

        string[] env = CgiEnvironment.Build(r).ToEnvironmentBlock();
        int slash = file.LastIndexOf('/');
        string dir = slash <= 0 ? "/" : file[..slash];
        using ScriptProcess? script = ScriptProcess.Start(file, BuildArgv(argv0, r.Args), env, dir, out int errno);
        if (script is null)
        {
            string reason = "(" + errno + ")" + Marshal.GetPInvokeErrorMessage(errno) + ": ";
            r.Server.ErrorLog.Write(LogLevel.Error, _tag, reason + "AH01241: exec of '" + file + "' failed", LogClient.Of(r));
            r.Server.ErrorLog.Write(LogLevel.Error, _tag, "End of script output before headers: " + argv0, LogClient.Of(r));
            return 500;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            byte[] logged = SendBody(script, buffer);
            return nph ? SendRaw(script, buffer) : SendResponse(script, buffer, logged);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The request body to stdin (chunked bodies arrive decoded); the first ScriptLogBuffer bytes are kept for the ScriptLog.</summary>
    private byte[] SendBody(ScriptProcess script, byte[] buffer)
    {
        var logged = new List<byte>();
        bool reading = true;
        if (_r.Request.HasBody)
        {
            int n;
            while ((n = _r.Request.Read(buffer)) > 0)
            {
                if (logged.Count < _conf.LogBuffer)
                {
                    logged.AddRange(buffer.AsSpan(0, Math.Min(n, _conf.LogBuffer - logged.Count)));
                }

                // A script that stops reading gets no more; the body is still read to its end
                // (mod_cgi's child_stopped_reading), so the connection stays usable.
                reading = reading && script.WriteInput(buffer.AsSpan(0, n), _timeoutMs, OnError);
            }
        }

        script.CloseInput();
        return [.. logged];
    }

    private int SendResponse(ScriptProcess script, byte[] buffer, byte[] body)
    {
        RequestRecord r = _r;
        var headers = new ScriptHeaders();
        int used, n;
        while (true)
        {
            n = script.ReadOutput(buffer, _timeoutMs, OnError);
            if (n < 0)
            {
                r.Server.ErrorLog.Write(LogLevel.Warn, _tag, "AH01220: Timeout waiting for output from CGI script " + r.Filename, LogClient.Of(r));
                script.Reap(kill: true);
                return ScriptResponse.TimedOut(r, _tag);
            }

            if (n == 0)
            {
                script.DrainErrors(_timeoutMs, OnError);
                int status = ScriptResponse.EndedEarly(r, headers, _tag);
                ScriptLogFile.Failure(r, _conf, status, body, null, string.Empty, _stderr);
                return status;
            }

            used = headers.Feed(buffer.AsSpan(0, n));
            if (headers.IsComplete || headers.MalformedLine is not null)
            {
                break;
            }
        }

        if (headers.MalformedLine is not null || !headers.HasValidStatus)
        {
            int status = ScriptResponse.Apply(r, headers, _tag);
            Discard(script, buffer);
            ScriptLogFile.Failure(r, _conf, status, body, headers.MalformedLine, string.Empty, _stderr);
            return status;
        }

        switch (headers.Redirect)
        {
            case ScriptRedirect.Local:
                Discard(script, buffer);
                foreach (var (name, value) in headers.Cookies)
                {
                    r.Response.Headers.Add(name, value);
                }

                // mod_cgi: "This redirect needs to be a GET no matter what the original method was."
                r.Method = "GET";
                string location = headers.Location!;
                int q = location.IndexOf('?', StringComparison.Ordinal);
                string path = Uri.UnescapeDataString(q < 0 ? location : location[..q]);
                return r.InternalRedirect(path, q < 0 ? null : location[(q + 1)..]);
            case ScriptRedirect.External:
                Discard(script, buffer);
                ScriptResponse.Apply(r, headers, _tag);
                return 302;
        }

        ScriptResponse.Apply(r, headers, _tag);
        HttpResponse response = r.Response;
        if (used < n)
        {
            response.Write(buffer.AsSpan(used, n - used));
        }

        while (true)
        {
            // Without waiting first: when the script pauses, what it wrote goes out now.
            n = script.ReadOutput(buffer, 0, OnError);
            if (n < 0)
            {
                response.Flush();
                n = script.ReadOutput(buffer, _timeoutMs, OnError);
            }

            if (n < 0)
            {
                r.Server.ErrorLog.Write(LogLevel.Warn, _tag, "AH01220: Timeout waiting for output from CGI script " + r.Filename, LogClient.Of(r));
                script.Reap(kill: true);
                response.Abort();
                return HookResult.Done;
            }

            if (n == 0)
            {
                break;
            }

            response.Write(buffer.AsSpan(0, n));
        }

        script.DrainErrors(_timeoutMs, OnError);
        script.Reap(kill: false);
        if (script.DiedOfSignal)
        {
            // The output ended because the script died: the client must not take the
            // truncated body for a whole one, so the connection closes without its end.
            r.Server.ErrorLog.Write(LogLevel.Info, _tag, "PL00340: script " + r.Filename + " was killed by a signal before its output ended; the response is cut off", LogClient.Of(r));
            response.Abort();
        }

        return HookResult.Done;
    }

    /// <summary>An NPH script's output is the whole response, head included; the connection closes after it.</summary>
    private int SendRaw(ScriptProcess script, byte[] buffer)
    {
        while (true)
        {
            int n = script.ReadOutput(buffer, _timeoutMs, OnError);
            if (n < 0)
            {
                _r.Server.ErrorLog.Write(LogLevel.Warn, _tag, "AH01220: Timeout waiting for output from CGI script " + _r.Filename, LogClient.Of(_r));
                script.Reap(kill: true);
                break;
            }

            if (n == 0)
            {
                break;
            }

            _r.Response.WriteRaw(buffer.AsSpan(0, n));
        }

        script.DrainErrors(_timeoutMs, OnError);
        return HookResult.Done;
    }

    /// <summary>discard_script_output: the rest of stdout is read and dropped, stderr still logged.</summary>
    private void Discard(ScriptProcess script, byte[] buffer)
    {
        while (script.ReadOutput(buffer, _timeoutMs, OnError) > 0)
        {
        }

        script.DrainErrors(_timeoutMs, OnError);
    }

    /// <summary>log_script_err: each stderr line to the error log (AH01215) and the ScriptLog.</summary>
    private void OnError(string line)
    {
        _stderr.Add(line);
        _r.Server.ErrorLog.Write(LogLevel.Error, _tag, "AH01215: stderr from " + _r.Filename + ": " + line, LogClient.Of(_r));
    }

    /// <summary>log_scripterror: the error log line and a ScriptLog entry.</summary>
    private int ScriptError(int status, string id, string error)
    {
        _r.Server.ErrorLog.Write(LogLevel.Error, _tag, id + error + ": " + _r.Filename, LogClient.Of(_r));
        ScriptLogFile.Error(_r, _conf, status, error);
        return status;
    }

    /// <summary>cgi_build_command: an ISINDEX query (no '=') becomes arguments split at '+', each unescaped.</summary>
    private static string[] BuildArgv(string argv0, string? args)
    {
        if (string.IsNullOrEmpty(args) || args.Contains('=', StringComparison.Ordinal))
        {
            return [argv0];
        }

        string[] words = args.Split('+');
        var argv = new string[words.Length + 1];
        argv[0] = argv0;
        for (int i = 0; i < words.Length; i++)
        {
            argv[i + 1] = Uri.UnescapeDataString(words[i]);
        }

        return argv;
    }
}
