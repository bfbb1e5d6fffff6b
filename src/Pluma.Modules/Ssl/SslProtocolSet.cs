using System.Collections.Generic;
using System.Security.Authentication;

namespace Pluma.Modules.Ssl;

/// <summary>
/// SSLProtocol (ssl_engine_config.c ssl_cmd_protocol_parse): words <c>all</c>, <c>SSLv3</c>,
/// <c>TLSv1</c>, <c>TLSv1.1</c>, <c>TLSv1.2</c>, <c>TLSv1.3</c>, each with + (add), - (remove)
/// or no sign (the set becomes that word). OpenSSL 3 serves SSLv3, TLS 1.0 and 1.1 only at
/// security level 0, which Debian never uses, so neither Apache nor Pluma can offer them; Pluma
/// keeps them in the set for the check below and offers TLS 1.2 and 1.3.
/// </summary>
public sealed class SslProtocolSet
{
    [Flags]
    private enum Bits
    {
        None = 0,
        Ssl3 = 1,
        Tls1 = 2,
        Tls11 = 4,
        Tls12 = 8,
        Tls13 = 16,
        All = Tls1 | Tls11 | Tls12 | Tls13,
    }

    private readonly Bits _bits;

    private SslProtocolSet(Bits bits) => _bits = bits;

    /// <summary>The protocols SslStream is told to allow (what SSLProtocol says, so the admin's choice, not the OS default).</summary>
#pragma warning disable CA5397 // TLS 1.2 is offered when SSLProtocol names it, as Apache does
    public SslProtocols Offered =>
        ((_bits & Bits.Tls12) != 0 ? SslProtocols.Tls12 : SslProtocols.None) | ((_bits & Bits.Tls13) != 0 ? SslProtocols.Tls13 : SslProtocols.None);
#pragma warning restore CA5397

    /// <summary>Parses the directive's words; the error is Apache's text.</summary>
    public static string? TryParse(IReadOnlyList<string> words, out SslProtocolSet? set)
    {
        set = null;
        Bits bits = Bits.None;
        foreach (string word in words)
        {
            char sign = word.Length > 0 && (word[0] == '+' || word[0] == '-') ? word[0] : '\0';
            string name = sign == '\0' ? word : word[1..];
            Bits one = name.ToLowerInvariant() switch
            {
                "all" => Bits.All,
                "sslv3" => Bits.Ssl3,
                "tlsv1" => Bits.Tls1,
                "tlsv1.1" => Bits.Tls11,
                "tlsv1.2" => Bits.Tls12,
                "tlsv1.3" => Bits.Tls13,
                _ => (Bits)(-1),
            };
            if (one == (Bits)(-1))
            {
                return "SSLProtocol: Illegal protocol '" + name + "'";
            }

            bits = sign switch
            {
                '+' => bits | one,
                '-' => bits & ~one,
                _ => one,
            };
        }

        if ((bits & (Bits.Tls12 | Bits.Tls13)) == 0)
        {
            return "PL00300: SSLProtocol " + string.Join(' ', words) + " leaves neither TLSv1.2 nor TLSv1.3, and OpenSSL 3 serves SSLv3, TLSv1 and TLSv1.1 only at security level 0";
        }

        set = new SslProtocolSet(bits);
        return null;
    }
}
