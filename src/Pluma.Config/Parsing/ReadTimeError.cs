namespace Pluma.Config.Parsing;

/// <summary>An Include target that cannot be read; reported at the Include line without a nested prefix.</summary>
internal sealed class ReadTimeError : Exception
{
    public ReadTimeError()
    {
    }

    public ReadTimeError(string message)
        : base(message)
    {
    }

    public ReadTimeError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error-log line httpd writes before the error (see <see cref="ConfigException.LoggedBefore"/>).</summary>
    public string? LoggedBefore { get; init; }
}
