using System.Text.RegularExpressions;
using Pluma.Config;
using Pluma.Config.Expressions;

namespace Pluma.Modules.ProxyFcgi;

/// <summary>mod_proxy_fcgi's directive table: ProxyFCGIBackendType and ProxyFCGISetEnvIf (both FileInfo, .htaccess too).</summary>
internal static partial class FcgiDirectives
{
    public static DirectiveDefinition[] All() =>
    [
        new("ProxyFCGIBackendType", DirectiveArgs.Take1, DirectiveScope.OrFileInfo, "Specify the type of FastCGI server: 'Generic', 'FPM'", BackendType),
        new("ProxyFCGISetEnvIf", DirectiveArgs.Take23, DirectiveScope.OrFileInfo, "expr-condition env-name expr-value", SetEnvIf),
    ];

    private static string? BackendType(DirectiveCall call)
    {
        FcgiBackendType? type = call.Args[0].ToUpperInvariant() switch
        {
            "GENERIC" => FcgiBackendType.Generic,
            "FPM" => FcgiBackendType.Fpm,
            _ => null,
        };
        if (type is null)
        {
            return "ProxyFCGIBackendType requires one of the following arguments: 'GENERIC', 'FPM'";
        }

        call.GetDirRecord<FcgiDirConfig>().BackendType = type.Value;
        return null;
    }

    private static string? SetEnvIf(DirectiveCall call)
    {
        string condition = call.Args[0];
        string name = call.Args[1];
        string? value = call.Args.Count > 2 ? call.Args[2] : null;
        if (!ConfigExpression.TryParse(condition, out ConfigExpression? cond, out string? error))
        {
            return "Could not parse expression \"" + condition + "\": " + error;
        }

        if (name.StartsWith('!'))
        {
            if (value is not null)
            {
                return "Third argument (\"" + value + "\") is not allowed when using ProxyFCGISetEnvIf's unset mode (" + name + ")";
            }

            if (name.Length == 1)
            {
                return "ProxyFCGISetEnvIf: \"!\" is not a valid variable name";
            }

            call.GetDirRecord<FcgiDirConfig>().EnvFixups.Add(new FcgiEnvFixup(cond, name, null));
            return null;
        }

        value ??= string.Empty;

        // Fail closed: Pluma's ap_expr does not carry a condition's regex groups into a value,
        // so "$1" would be sent as written instead of what the condition matched.
        if (BackReference().IsMatch(value))
        {
            return "PL00370: ProxyFCGISetEnvIf " + name + " \"" + value + "\": $1-$9 (the condition's regex groups) are not built in Pluma's ap_expr; refused rather than sent as written";
        }

        if (!StringExpression.TryParse(value, out StringExpression? subst, out error))
        {
            return "Could not parse expression \"" + value + "\": " + error;
        }

        call.GetDirRecord<FcgiDirConfig>().EnvFixups.Add(new FcgiEnvFixup(cond, name, subst));
        return null;
    }

    [GeneratedRegex(@"\$[0-9]")]
    private static partial Regex BackReference();
}
