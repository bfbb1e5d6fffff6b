using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.SetEnvIf;

/// <summary>
/// One SetEnvIf/BrowserMatch line (mod_setenvif.c's sei_entry): what to test, the pattern, and the
/// variables to set or unset when it matches. A pattern without regex metacharacters is a plain
/// substring search (non_regex_pattern); only a real regex substitutes $0-$9 into the values.
/// </summary>
public sealed class SetEnvIfRule
{
    private readonly Regex? _nameRegex;
    private readonly Regex? _valueRegex;
    private readonly string? _substring;
    private readonly StringComparison _comparison;

    private SetEnvIfRule(string name, SetEnvIfAttribute attribute, Regex? nameRegex, Regex? valueRegex, string? substring, bool ignoreCase, SetEnvIfFeature[] features)
    {
        Name = name;
        Attribute = attribute;
        _nameRegex = nameRegex;
        _valueRegex = valueRegex;
        _substring = substring;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        Features = features;
    }

    /// <summary>The header or attribute name as written.</summary>
    public string Name { get; }

    public SetEnvIfAttribute Attribute { get; }

    /// <summary>SetEnvIfExpr's condition.</summary>
    public Pluma.Config.Expressions.ConfigExpression? Condition { get; private init; }

    public IReadOnlyList<SetEnvIfFeature> Features { get; }

    /// <summary>
    /// Builds a rule from a directive's words after the name (the pattern, then the variables);
    /// returns null and Apache's message in <paramref name="error"/> when the line is wrong.
    /// </summary>
    public static SetEnvIfRule? Create(string directive, string name, IReadOnlyList<string> words, bool ignoreCase, out string? error)
    {
        if (words.Count == 0 || words[0].Length == 0)
        {
            error = "Missing regular expression for " + directive;
            return null;
        }

        if (words.Count == 1)
        {
            error = "Missing envariable expression for " + directive;
            return null;
        }

        if (name.Length == 0 && directive == "SetEnvIfExpr")
        {
            if (!Pluma.Config.Expressions.ConfigExpression.TryParse(words[0], out Pluma.Config.Expressions.ConfigExpression? condition, out string? parseError))
            {
                error = "Could not parse expression \"" + words[0] + "\": " + parseError;
                return null;
            }

            error = null;
            return new SetEnvIfRule(words[0], SetEnvIfAttribute.Expression, null, null, null, ignoreCase, ParseFeatures(words)) { Condition = condition };
        }

        RegexOptions caseOption = ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None;
        string pattern = words[0];
        string? substring = PlainText(pattern);
        Regex? valueRegex = null;
        if (substring is null && !TryCompile(pattern, caseOption, out valueRegex))
        {
            error = directive + " regex could not be compiled.";
            return null;
        }

        SetEnvIfAttribute attribute = AttributeOf(name);
        Regex? nameRegex = null;
        if (attribute == SetEnvIfAttribute.Header && !IsPlainHeaderName(name))
        {
            if (!TryCompile(name, caseOption, out nameRegex))
            {
                error = directive + "Header name regex could not be compiled.";
                return null;
            }

            attribute = SetEnvIfAttribute.HeaderNameRegex;
        }

        error = null;
        return new SetEnvIfRule(name, attribute, nameRegex, valueRegex, substring, ignoreCase, ParseFeatures(words));
    }

    /// <summary>The variables after the pattern: NAME=value, NAME (set to "1") or !NAME (unset).</summary>
    private static SetEnvIfFeature[] ParseFeatures(IReadOnlyList<string> words)
    {
        var features = new List<SetEnvIfFeature>(words.Count - 1);
        for (int i = 1; i < words.Count; i++)
        {
            string word = words[i];
            if (word.Length == 0)
            {
                break; // ap_getword_conf's "" ends the list, as an empty quoted word does in Apache
            }

            // ap_getword(.., '='): the name, then the rest after any run of '='.
            int eq = word.IndexOf('=', StringComparison.Ordinal);
            string var = eq < 0 ? word : word[..eq];
            string rest = eq < 0 ? string.Empty : word[(eq + 1)..].TrimStart('=');
            SetEnvIfFeature feature = rest.Length > 0 ? new SetEnvIfFeature(var, rest)
                : var.StartsWith('!') ? new SetEnvIfFeature(var[1..], null)
                : new SetEnvIfFeature(var, "1");
            features.Add(feature);
        }

        return [.. features];
    }

    /// <summary>
    /// Tests <paramref name="value"/> (null when the header or attribute is absent, tested as "")
    /// and applies the variables; returns whether it matched.
    /// </summary>
    public bool Apply(string? value, RequestRecord r) => Apply(value, r, null);

    /// <summary>As <see cref="Apply(string?, RequestRecord)"/>, on a table of variables of its own.</summary>
    public bool Apply(string? value, Dictionary<string, string> environment) => Apply(value, null, environment);

    private bool Apply(string? value, RequestRecord? r, Dictionary<string, string>? environment)
    {
        if (Condition is not null)
        {
            return false; // SetEnvIfExpr rules go through ApplyExpression
        }

        value ??= string.Empty;
        Match? match = null;
        if (_substring is not null)
        {
            if (!value.Contains(_substring, _comparison))
            {
                return false;
            }
        }
        else
        {
            match = _valueRegex!.Match(value);
            if (!match.Success)
            {
                return false;
            }
        }

        foreach (SetEnvIfFeature f in Features)
        {
            if (f.Value is null)
            {
                Unset(r, environment, f.Name);
            }
            else
            {
                (environment ?? r!.Environment)[f.Name] = match is null ? f.Value : Substitute(f.Value, match);
            }
        }

        return true;
    }

    /// <summary>SetEnvIfExpr: when the condition holds in <paramref name="context"/>, the variables are applied; returns whether it held.</summary>
    public bool ApplyExpression(Pluma.Config.Expressions.IExpressionContext context, RequestRecord r)
    {
        if (!Condition!.Evaluate(context))
        {
            return false;
        }

        foreach (SetEnvIfFeature f in Features)
        {
            if (f.Value is null)
            {
                Unset(r, null, f.Name);
            }
            else
            {
                r.Environment[f.Name] = f.Value;
            }
        }

        return true;
    }

    // The request's environment is made only when a rule sets a variable: a request no rule
    // matches (Debian's BrowserMatch lines, for nearly every client) allocates nothing.
    private static void Unset(RequestRecord? r, Dictionary<string, string>? environment, string name)
    {
        if (environment is not null)
        {
            environment.Remove(name);
        }
        else if (r!.HasEnvironment)
        {
            r.Environment.Remove(name);
        }
    }

    /// <summary>The value of the last request header whose name matches this rule's name regex, or null.</summary>
    public string? LastMatchingHeader(Pluma.Http.HttpRequestHeaders headers)
    {
        string? value = null;
        for (int i = 0; i < headers.Count; i++)
        {
            string header = headers.GetName(i);
            if (_nameRegex!.IsMatch(header))
            {
                value = headers.GetCombined(header);
            }
        }

        return value;
    }

    /// <summary>
    /// ap_pregsub as 2.4 has it: "$N" is group N (empty when it did not take part or does not
    /// exist) and a backslash makes the next character literal; '&amp;' is literal too.
    /// </summary>
    internal static string Substitute(string template, Match match)
    {
        if (template.IndexOfAny(['$', '\\']) < 0)
        {
            return template;
        }

        var sb = new StringBuilder(template.Length + 16);
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            int group = -1;
            if (c == '$' && i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]))
            {
                group = template[++i] - '0';
            }

            if (group < 0)
            {
                if (c == '\\' && i + 1 < template.Length)
                {
                    c = template[++i];
                }

                sb.Append(c);
            }
            else if (group < match.Groups.Count && match.Groups[group].Success)
            {
                sb.Append(match.Groups[group].ValueSpan);
            }
        }

        return sb.ToString();
    }

    private static SetEnvIfAttribute AttributeOf(string name) => name.ToLowerInvariant() switch
    {
        "remote_addr" => SetEnvIfAttribute.RemoteAddr,
        "remote_host" => SetEnvIfAttribute.RemoteHost,
        "remote_user" => SetEnvIfAttribute.RemoteUser,
        "request_uri" => SetEnvIfAttribute.RequestUri,
        "request_method" => SetEnvIfAttribute.RequestMethod,
        "request_protocol" => SetEnvIfAttribute.RequestProtocol,
        "server_addr" => SetEnvIfAttribute.ServerAddr,
        _ => SetEnvIfAttribute.Header,
    };

    /// <summary>is_header_regex's test: a name of letters, digits, '-' and '_' only is a header name, anything else a regex.</summary>
    private static bool IsPlainHeaderName(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// non_regex_pattern: the text to search for when <paramref name="pattern"/> uses no regex
    /// metacharacter (a backslash may escape one), else null.
    /// </summary>
    private static string? PlainText(string pattern)
    {
        StringBuilder? unescaped = null;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || !IsMeta(pattern[i + 1]) && pattern[i + 1] != '\\')
                {
                    return null; // "\d" and the like are regex classes
                }

                unescaped ??= new StringBuilder(pattern, 0, i, pattern.Length);
                unescaped.Append(pattern[++i]);
                continue;
            }

            if (IsMeta(c))
            {
                return null;
            }

            unescaped?.Append(c);
        }

        return unescaped?.ToString() ?? pattern;
    }

    private static bool IsMeta(char c) => c is '^' or '.' or '$' or '|' or '(' or ')' or '[' or ']' or '*' or '+' or '?' or '{' or '}';

    private static bool TryCompile(string pattern, RegexOptions options, out Regex? regex)
    {
        try
        {
            regex = ApacheRegex.Create(pattern, options);
            return true;
        }
        catch (ArgumentException)
        {
            regex = null;
            return false;
        }
    }
}
