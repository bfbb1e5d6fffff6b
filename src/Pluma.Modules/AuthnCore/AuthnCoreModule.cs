using System.Text;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AuthnCore;

/// <summary>
/// mod_authn_core: AuthType and AuthName for the other auth modules (ap_auth_type,
/// ap_auth_name), and the check_authn fallback that answers 500 (AH01796) when an AuthType is
/// set that no loaded module handles. AuthType and AuthName take literal strings; an ap_expr
/// string (one with %{...}) is refused at start-up rather than served unevaluated.
/// </summary>
public static class AuthnCoreModule
{
    public const string Name = "authn_core_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_authn_core.c", () =>
        [
            new DirectiveDefinition("AuthType", DirectiveArgs.Take1, DirectiveScope.OrAuthCfg, "an HTTP authorization type (e.g., \"Basic\")", SetAuthType),
            new DirectiveDefinition("AuthName", DirectiveArgs.Take1, DirectiveScope.OrAuthCfg, "the authentication realm (e.g. \"Members Only\")", SetAuthName),
            DirectiveDefinition.Pending("<AuthnProviderAlias", DirectiveArgs.RawArgs, DirectiveScope.RsrcConf,
                "container for grouping an authentication provider's directives under a provider alias"),
        ])
        {
            CreateDirConfig = _ => new AuthnCoreDirConfig(),
            MergeDirConfig = (b, a) => AuthnCoreDirConfig.Merge((AuthnCoreDirConfig)b, (AuthnCoreDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            CheckUserId = r => AuthenticateNoUser(r, descriptor),
            CheckUserIdLast = true,
        };
    }

    /// <summary>ap_auth_type: the AuthType in force for the request, null when none or "None".</summary>
    public static string? AuthType(RequestRecord r) => Config(r)?.AuthType is { } t && !t.Equals("None", StringComparison.OrdinalIgnoreCase) ? t : null;

    /// <summary>ap_auth_name: the realm with its quotes escaped, or null.</summary>
    public static string? AuthName(RequestRecord r) => Config(r)?.AuthName;

    private static AuthnCoreDirConfig? Config(RequestRecord r) =>
        r.Runtime.Find(Name) is { } m ? r.DirConfig.Get<AuthnCoreDirConfig>(m.Descriptor) : null;

    // authenticate_no_user (APR_HOOK_LAST): no AuthType means no authentication is needed.
    private static int AuthenticateNoUser(RequestRecord r, ModuleDescriptor descriptor)
    {
        string? type = r.DirConfig.Get<AuthnCoreDirConfig>(descriptor)?.AuthType;
        if (type is null || type.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            return HookResult.Ok;
        }

        r.Server.ErrorLog.Write(LogLevel.Error, "authn_core", "AH01796: AuthType " + type + " configured without corresponding module", LogClient.Of(r));
        return 500;
    }

    private static string? SetAuthType(DirectiveCall call)
    {
        if (RefuseExpression(call, "AuthType") is { } error)
        {
            return error;
        }

        call.GetDirRecord<AuthnCoreDirConfig>().AuthType = call.Args[0];
        return null;
    }

    private static string? SetAuthName(DirectiveCall call)
    {
        if (RefuseExpression(call, "AuthName") is { } error)
        {
            return error;
        }

        call.GetDirRecord<AuthnCoreDirConfig>().AuthName = EscapeQuotes(call.Args[0]);
        return null;
    }

    // Both are ap_expr strings in Apache; Pluma has no string-expression evaluator yet.
    private static string? RefuseExpression(DirectiveCall call, string directive) =>
        call.Args[0].Contains("%{", StringComparison.Ordinal)
            ? "Cannot parse expression '" + call.Args[0] + "' in " + directive + ": expressions are not supported by Pluma yet"
            : null;

    /// <summary>ap_escape_quotes: a '"' gains a backslash, a backslash keeps the character after it as it is.</summary>
    public static string EscapeQuotes(string s)
    {
        if (!s.Contains('"', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < s.Length)
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (c == '"')
            {
                sb.Append("\\\"");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
