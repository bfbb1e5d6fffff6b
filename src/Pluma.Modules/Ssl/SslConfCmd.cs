using System.Collections.Generic;

namespace Pluma.Modules.Ssl;

/// <summary>
/// SSLOpenSSLConfCmd (OpenSSL's SSL_CONF_cmd in file mode, which mod_ssl runs after its own
/// directives): the commands that map onto SslStream's options are kept here and applied over
/// SSLProtocol and SSLCipherSuite; any other command is refused when read (PL00304), as is a
/// value the command cannot take (PL00305), since SslStream has nowhere to put it.
/// </summary>
public sealed record SslConfCmd(string Command, string Value, string ConfigFile, int Line)
{
    /// <summary>SSL_CONF's names (case-insensitive in file mode) Pluma can honour, in its spelling.</summary>
    private static readonly string[] s_known = ["Protocol", "MinProtocol", "MaxProtocol", "CipherString", "Ciphersuites"];

    /// <summary>Checks one directive; returns the record to keep, or the refusal.</summary>
    public static string? TryParse(string command, string value, string file, int line, out SslConfCmd? cmd)
    {
        cmd = null;
        string? name = Array.Find(s_known, k => k.Equals(command, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return "PL00304: SSLOpenSSLConfCmd " + command + " " + value + ": Pluma's mod_ssl maps only "
                + string.Join(", ", s_known) + " onto SslStream (which has no setting for " + command + "), so it is refused rather than ignored";
        }

        string? error = name switch
        {
            "Protocol" => SslProtocolSet.CheckOpenSslList(value),
            "MinProtocol" or "MaxProtocol" => SslProtocolSet.CheckBound(value),
            "CipherString" => OpenSslCipherList.Expand(value, null) is null ? "no cipher matches" : null,
            _ => OpenSslCipherList.Expand(null, value) is null ? "no ciphersuite matches" : null,
        };
        if (error is not null)
        {
            return "PL00305: SSLOpenSSLConfCmd " + command + " " + value + ": " + error;
        }

        cmd = new SslConfCmd(name, value, file, line);
        return null;
    }

    /// <summary>The last value of <paramref name="name"/> among <paramref name="cmds"/>, else <paramref name="fallback"/>.</summary>
    public static string? Last(List<SslConfCmd> cmds, string name, string? fallback)
    {
        for (int i = cmds.Count - 1; i >= 0; i--)
        {
            if (cmds[i].Command == name)
            {
                return cmds[i].Value;
            }
        }

        return fallback;
    }
}
