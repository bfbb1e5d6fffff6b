using System.Globalization;

namespace Pluma.Modules.Status;

/// <summary>
/// C printf number formats as APR's apr_snprintf writes them; APR's %g (and %.Ng) leaves out the
/// zero before the decimal point (".5", ".364"), which mod_status pages show.
/// </summary>
public static class CFormat
{
    /// <summary>%g (precision 6) or %.Ng.</summary>
    public static string G(double value, int precision = 6)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }

        precision = Math.Max(precision, 1);
        string e = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int exp = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string s;
        if (exp < -4 || exp >= precision)
        {
            string mantissa = TrimZeros(e[..e.IndexOf('E')]);
            s = mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        else
        {
            s = TrimZeros(value.ToString("F" + (precision - 1 - exp).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        }

        if (s.StartsWith("0.", StringComparison.Ordinal))
        {
            s = s[1..];
        }
        else if (s.StartsWith("-0.", StringComparison.Ordinal))
        {
            s = "-" + s[2..];
        }

        return s;
    }

    /// <summary>%.Nf (APR keeps the leading zero here).</summary>
    public static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string TrimZeros(string s)
    {
        if (!s.Contains('.', StringComparison.Ordinal))
        {
            return s;
        }

        s = s.TrimEnd('0');
        return s.EndsWith('.') ? s[..^1] : s;
    }
}
