namespace Pluma.Config;

/// <summary>
/// A refused configuration: message, file and line, as httpd reports them. The loader stops at
/// the first error, as httpd does; turning it into exit code 1 is the host's job.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>The pseudo file name httpd gives to -C and -c directives.</summary>
    public const string CommandLineFile = "-c/-C directives";

    public ConfigException()
        : this("Configuration error", null, 0, ConfigErrorPhase.Read)
    {
    }

    public ConfigException(string message)
        : this(message, null, 0, ConfigErrorPhase.Read)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public ConfigException(string reason, string? file, int line, ConfigErrorPhase phase)
        : base(file is null ? reason : "Syntax error on line " + line + " of " + file + ": " + reason)
    {
        Reason = reason;
        File = file;
        Line = line;
        Phase = phase;
    }

    /// <summary>
    /// A handler's fatal start-up error (ap_log_error with APLOG_STARTUP, then exit(1)): printed
    /// as "<paramref name="id"/>: PROGRAM: <paramref name="reason"/>", with no file or line.
    /// </summary>
    public static ConfigException Startup(string id, string reason) => new(reason, null, 0, ConfigErrorPhase.Startup) { StartupId = id };

    /// <summary>The AH number of a <see cref="ConfigErrorPhase.Startup"/> error.</summary>
    public string? StartupId { get; private init; }

    /// <summary>
    /// An error-log line (AH number and text) httpd writes to stderr before this error, as core's
    /// AH00554 "not a regular file" before "Could not open configuration file"; null if none.
    /// </summary>
    public string? LoggedBefore { get; init; }

    /// <summary>The text after "Syntax error on line N of FILE:" (may itself name nested files).</summary>
    public string Reason { get; }

    /// <summary>The file httpd names, or null for errors that are not about a line (a missing main file).</summary>
    public string? File { get; }

    public int Line { get; }

    public ConfigErrorPhase Phase { get; }

    /// <summary>
    /// The text httpd prints to stderr for this error, with <paramref name="programName"/> where
    /// httpd prints its argv[0] (<c>apache2</c> on Debian).
    /// </summary>
    public string Format(string programName)
    {
        if (Phase == ConfigErrorPhase.Startup)
        {
            return StartupId + ": " + programName + ": " + Reason;
        }

        if (File is null)
        {
            return programName + ": " + Reason;
        }

        if (Phase == ConfigErrorPhase.Process)
        {
            return "AH00526: Syntax error on line " + Line + " of " + File + ":\n" + Reason;
        }

        if (File == CommandLineFile)
        {
            return programName + ": Syntax error in -C/-c directive: " + Reason;
        }

        return programName + ": Syntax error on line " + Line + " of " + File + ": " + Reason;
    }
}
