using System.Collections.Generic;
using System.Net;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.SetEnvIf;

/// <summary>
/// mod_setenvif: SetEnvIf, SetEnvIfNoCase, BrowserMatch and BrowserMatchNoCase set or unset
/// request environment variables when a header or request attribute matches; SetEnvIfExpr when
/// an ap_expr condition holds. Rules written
/// outside any section run in post_read_request, before the URI is mapped; rules of
/// &lt;Directory&gt;, &lt;Location&gt;, &lt;Files&gt; and .htaccess run in header_parser, once
/// the sections are merged (mod_setenvif.c match_headers). A server without rules pays one
/// list-count test per phase.
/// </summary>
public static class SetEnvIfModule
{
    public const string Name = "setenvif_module";

    public static HttpModule Create()
    {
        ModuleDescriptor? self = null;
        var descriptor = new ModuleDescriptor(Name, "mod_setenvif.c", () =>
        [
            new DirectiveDefinition("SetEnvIf", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "A header-name, regex and a list of variables.", call => AddSetEnvIf(call, ignoreCase: false)),
            new DirectiveDefinition("SetEnvIfNoCase", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "a header-name, regex and a list of variables.", call => AddSetEnvIf(call, ignoreCase: true)),
            new DirectiveDefinition("SetEnvIfExpr", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "an expression and a list of variables", call => AddRule(call, string.Empty, call.RawWords(), ignoreCase: false)),
            new DirectiveDefinition("BrowserMatch", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "A browser regex and a list of variables.", call => AddRule(call, "User-Agent", call.RawWords(), ignoreCase: false)),
            new DirectiveDefinition("BrowserMatchNoCase", DirectiveArgs.RawArgs, DirectiveScope.OrFileInfo,
                "A browser regex and a list of variables.", call => AddRule(call, "User-Agent", call.RawWords(), ignoreCase: true)),
        ])
        {
            CreateServerConfig = () => new SetEnvIfConfig(),
            MergeServerConfig = (b, a) => SetEnvIfConfig.Merge((SetEnvIfConfig)b, (SetEnvIfConfig)a),
            CreateDirConfig = _ => new SetEnvIfConfig(),
            MergeDirConfig = (b, a) => SetEnvIfConfig.Merge((SetEnvIfConfig)b, (SetEnvIfConfig)a),
        };
        self = descriptor;
        return new HttpModule(descriptor)
        {
            PostReadRequest = r => MatchHeaders(r, r.Server.Config.ModuleConfig.Get<SetEnvIfConfig>(self), beforeMapping: true),
            HeaderParser = r => MatchHeaders(r, r.DirConfig.Get<SetEnvIfConfig>(self), beforeMapping: false),
        };
    }

    private static string? AddSetEnvIf(DirectiveCall call, bool ignoreCase)
    {
        List<string> words = call.RawWords();
        if (words.Count == 0 || words[0].Length == 0)
        {
            return "Missing header-field name for " + call.Directive.Name;
        }

        string name = words[0];
        words.RemoveAt(0);
        return AddRule(call, name, words, ignoreCase);
    }

    /// <summary>add_setenvif_core: a rule outside any section goes to the server's record (cmd->path is NULL), else the section's.</summary>
    private static string? AddRule(DirectiveCall call, string name, List<string> words, bool ignoreCase)
    {
        SetEnvIfRule? rule = SetEnvIfRule.Create(call.Directive.Name, name, words, ignoreCase, out string? error);
        if (rule is null)
        {
            return error;
        }

        SetEnvIfConfig target = call.SectionPath is null ? call.GetServerRecord<SetEnvIfConfig>() : call.GetDirRecord<SetEnvIfConfig>();
        target.Rules.Add(rule);
        return null;
    }

    private static int MatchHeaders(RequestRecord r, SetEnvIfConfig? config, bool beforeMapping)
    {
        if (config is null || config.Rules.Count == 0)
        {
            return HookResult.Declined;
        }

        bool trace = r.Server.ErrorLog.IsEnabled(LogLevel.Trace2, "setenvif");
        foreach (SetEnvIfRule rule in config.Rules)
        {
            bool matched = rule.Attribute == SetEnvIfAttribute.Expression
                ? rule.ApplyExpression(Common.RequestExpressionContext.For(r), r)
                : rule.Apply(ValueOf(r, rule, beforeMapping), r);
            if (matched && trace)
            {
                // match_headers logs each variable it sets (not those it unsets) at trace2.
                foreach (SetEnvIfFeature f in rule.Features)
                {
                    if (f.Value is not null)
                    {
                        r.Server.ErrorLog.Write(LogLevel.Trace2, "setenvif", "Setting " + f.Name, LogClient.Of(r));
                    }
                }
            }
        }

        return HookResult.Declined;
    }

    /// <summary>The tested value, as match_headers takes it; null when absent.</summary>
    private static string? ValueOf(RequestRecord r, SetEnvIfRule rule, bool beforeMapping)
    {
        switch (rule.Attribute)
        {
            case SetEnvIfAttribute.RemoteAddr:
            case SetEnvIfAttribute.RemoteHost: // HostnameLookups Off: the address (REMOTE_NAME)
                return Ip(r.Request.RemoteEndPoint.Address);
            case SetEnvIfAttribute.ServerAddr:
                return Ip(r.Request.LocalEndPoint.Address);
            case SetEnvIfAttribute.RemoteUser:
                return r.User;
            case SetEnvIfAttribute.RequestUri:
                // Before mapping, r->uri of the client's request is still the path as sent, its
                // leading run of '/' made one (protocol.c ap_parse_uri); ap_process_request_internal
                // decodes it later. An internal redirect starts from its decoded target.
                return beforeMapping && r.Previous is null ? RawUri(r.Request.RawPathBytes) : r.Uri;
            case SetEnvIfAttribute.RequestMethod:
                return r.Request.Method;
            case SetEnvIfAttribute.RequestProtocol:
                return r.Request.Protocol;
            case SetEnvIfAttribute.HeaderNameRegex:
                return rule.LastMatchingHeader(r.Request.Headers);
            default:
                return r.Request.Headers.GetCombined(rule.Name) ?? (r.HasEnvironment && r.Environment.TryGetValue(rule.Name, out string? v) ? v : null);
        }
    }

    private static string RawUri(ReadOnlySpan<byte> raw)
    {
        int start = 0;
        while (start + 1 < raw.Length && raw[start] == (byte)'/' && raw[start + 1] == (byte)'/')
        {
            start++;
        }

        return System.Text.Encoding.Latin1.GetString(raw[start..]);
    }

    private static string Ip(IPAddress a) => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();
}
