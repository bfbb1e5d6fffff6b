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

    /// <summary>The versions in order, for MinProtocol/MaxProtocol.</summary>
    private static readonly (string Name, Bits Bit)[] s_order =
    [
        ("SSLv3", Bits.Ssl3), ("TLSv1", Bits.Tls1), ("TLSv1.1", Bits.Tls11), ("TLSv1.2", Bits.Tls12), ("TLSv1.3", Bits.Tls13),
    ];

    /// <summary>
    /// This set with SSLOpenSSLConfCmd's Protocol, MinProtocol and MaxProtocol applied in order
    /// (OpenSSL's list: words separated by commas or spaces, "ALL" or a version, "-" disables,
    /// "+" or no sign enables; a bound drops the versions beyond it). Null: the start set for
    /// no SSLProtocol (Apache's default, all).
    /// </summary>
    public static SslProtocolSet Apply(SslProtocolSet? start, IEnumerable<SslConfCmd> cmds)
    {
        Bits bits = start?._bits ?? Bits.All;
        foreach (SslConfCmd c in cmds)
        {
            switch (c.Command)
            {
                case "Protocol":
                    foreach (string word in c.Value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    {
                        bool off = word[0] == '-';
                        Bits one = OpenSslName(word[0] is '-' or '+' ? word[1..] : word) ?? Bits.None;
                        bits = off ? bits & ~one : bits | one;
                    }

                    break;
                case "MinProtocol" or "MaxProtocol":
                    if (Index(c.Value) is int at)
                    {
                        for (int i = 0; i < s_order.Length; i++)
                        {
                            if (c.Command == "MinProtocol" ? i < at : i > at)
                            {
                                bits &= ~s_order[i].Bit;
                            }
                        }
                    }

                    break;
            }
        }

        return new SslProtocolSet(bits);
    }

    /// <summary>Null when SSL_CONF's Protocol command would take <paramref name="value"/>.</summary>
    public static string? CheckOpenSslList(string value)
    {
        string[] words = value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "an empty protocol list";
        }

        foreach (string word in words)
        {
            string name = word[0] is '-' or '+' ? word[1..] : word;
            if (OpenSslName(name) is null)
            {
                return "unknown protocol '" + name + "' (OpenSSL's names: ALL, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)";
            }
        }

        return null;
    }

    /// <summary>Null when MinProtocol/MaxProtocol would take <paramref name="value"/>.</summary>
    public static string? CheckBound(string value) =>
        Index(value) is null ? "unknown protocol '" + value + "' (OpenSSL's names: SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)" : null;

    /// <summary>Whether SslStream can offer anything from this set.</summary>
    public bool OffersAny => (_bits & (Bits.Tls12 | Bits.Tls13)) != 0;

    private static int? Index(string name)
    {
        int i = Array.FindIndex(s_order, o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : i;
    }

    private static Bits? OpenSslName(string name) => name.Equals("ALL", StringComparison.OrdinalIgnoreCase)
        ? Bits.All | Bits.Ssl3
        : Index(name) is int i ? s_order[i].Bit : null;

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
