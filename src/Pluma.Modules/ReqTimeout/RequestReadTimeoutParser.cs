using System.Globalization;
using Pluma.Http;

namespace Pluma.Modules.ReqTimeout;

/// <summary>Parses one RequestReadTimeout value: <c>timeout[-maxtimeout][,MinRate=rate]</c>, with mod_reqtimeout's error texts.</summary>
public static class RequestReadTimeoutParser
{
    public static string? TryParse(string value, out RequestReadTimeout stage)
    {
        stage = default;
        int rateAt = value.IndexOf(",minrate=", StringComparison.OrdinalIgnoreCase);
        int initial, max = 0, rate = 0;
        if (rateAt >= 0)
        {
            if (!TryInt(value[(rateAt + 9)..], out rate))
            {
                return NotNumerical(value[(rateAt + 9)..]);
            }

            if (rate == 0)
            {
                return "Minimum data rate must be larger than 0";
            }

            string times = value[..rateAt];
            int dash = times.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                if (!TryInt(times[(dash + 1)..], out max))
                {
                    return NotNumerical(times[(dash + 1)..]);
                }

                times = times[..dash];
            }

            if (!TryInt(times, out initial))
            {
                return NotNumerical(times);
            }
        }
        else
        {
            if (value.Contains('-', StringComparison.Ordinal))
            {
                return "Must set MinRate option if using timeout range";
            }

            if (!TryInt(value, out initial))
            {
                return NotNumerical(value);
            }
        }

        if (max != 0 && initial >= max)
        {
            return "Maximum timeout must be larger than initial timeout";
        }

        stage = new RequestReadTimeout(TimeSpan.FromSeconds(initial), TimeSpan.FromSeconds(max), rate);
        return null;
    }

    private static bool TryInt(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string NotNumerical(string s) => "Value '" + s + "' not numerical";
}
