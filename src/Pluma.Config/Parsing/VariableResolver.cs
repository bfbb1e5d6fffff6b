using System.Collections.Generic;

namespace Pluma.Config.Parsing;

/// <summary>
/// ${NAME} substitution as httpd's <c>ap_resolve_env</c>: Define'd variables first, then the
/// environment. An unknown name stays as written and gives httpd's AH00111 warning.
/// </summary>
internal sealed class VariableResolver
{
    private readonly Dictionary<string, string> _defined;
    private readonly IReadOnlyDictionary<string, string> _environment;

    public VariableResolver(Dictionary<string, string> defined, IReadOnlyDictionary<string, string> environment)
    {
        _defined = defined;
        _environment = environment;
    }

    public string Resolve(string line, List<ConfigWarning> warnings, string file, int lineNumber)
    {
        int start = line.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return line;
        }

        var sb = new System.Text.StringBuilder(line.Length + 32);
        int pos = 0;
        while (start >= 0)
        {
            int close = line.IndexOf('}', start + 2);
            if (close < 0)
            {
                break;
            }

            sb.Append(line, pos, start - pos);
            string name = line.Substring(start + 2, close - start - 2);
            if (_defined.TryGetValue(name, out string? value) || _environment.TryGetValue(name, out value))
            {
                sb.Append(value);
            }
            else
            {
                warnings.Add(new ConfigWarning("AH00111", "Config variable ${" + name + "} is not defined", file, lineNumber));
                sb.Append(line, start, close - start + 1);
            }

            pos = close + 1;
            start = line.IndexOf("${", pos, StringComparison.Ordinal);
        }

        sb.Append(line, pos, line.Length - pos);
        return sb.ToString();
    }
}
