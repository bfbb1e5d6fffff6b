using System.Globalization;
using System.Text.RegularExpressions;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Alias;

/// <summary>
/// mod_alias: Alias/AliasMatch/ScriptAlias map URL-paths into the file system in translate_name;
/// Redirect* and RedirectMatch answer with a status and Location (server-level ones in
/// translate_name, before aliases; ones inside sections in fixups).
/// </summary>
public static class AliasModule
{
    public const string Name = "alias_module";

    private const int MovedTemporarily = 302;

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_alias.c", Directives)
        {
            CreateServerConfig = () => new AliasServerConfig(),
            MergeServerConfig = (b, a) => AliasServerConfig.Merge((AliasServerConfig)b, (AliasServerConfig)a),
            CreateDirConfig = _ => new AliasDirConfig(),
            MergeDirConfig = (b, a) => AliasDirConfig.Merge((AliasDirConfig)b, (AliasDirConfig)a),
        };
        return new HttpModule(descriptor)
        {
            TranslateName = r => TranslateAliasRedirect(r, descriptor),
            Fixups = r => FixupRedirect(r, descriptor),
        };
    }

    private static int TranslateAliasRedirect(RequestRecord r, ModuleDescriptor descriptor)
    {
        if (r.Uri.Length > 0 && r.Uri[0] != '/')
        {
            return HookResult.Declined;
        }

        AliasServerConfig? conf = r.Server.Config.ModuleConfig.Get<AliasServerConfig>(descriptor);
        if (conf is null)
        {
            return HookResult.Declined;
        }

        if (conf.Redirects.Count > 0 && AliasMatcher.TryList(conf.Redirects, r.Uri, isRedirect: true, out string? url) is { } redirect)
        {
            return Redirect(r, redirect.Status, url);
        }

        if (conf.Aliases.Count > 0 && AliasMatcher.TryList(conf.Aliases, r.Uri, isRedirect: false, out string? file) is { } alias && file is not null)
        {
            r.Filename = file;
            SetContextInfo(r, alias, file);
            if (alias.Handler is not null)
            {
                r.Handler = alias.Handler;
                r.Notes["alias-forced-type"] = alias.Handler;
            }

            return HookResult.Ok;
        }

        return HookResult.Declined;
    }

    /// <summary>
    /// ap_set_context_info as try_alias_list calls it: the URL prefix the alias matched and the
    /// directory it maps to (CONTEXT_PREFIX and CONTEXT_DOCUMENT_ROOT for scripts).
    /// </summary>
    private static void SetContextInfo(RequestRecord r, AliasEntry alias, string file)
    {
        if (alias.Pattern is null)
        {
            r.ContextPrefix = alias.Fake;
            r.ContextDocumentRoot = alias.Real;
            return;
        }

        Match m = alias.Pattern.Match(r.Uri);
        int end = m.Index + m.Length;
        int rootLength = file.Length - (r.Uri.Length - end);
        r.ContextPrefix = r.Uri[..end];
        r.ContextDocumentRoot = rootLength >= 0 ? file[..rootLength] : file;
    }

    private static int FixupRedirect(RequestRecord r, ModuleDescriptor descriptor)
    {
        AliasDirConfig? conf = r.DirConfig.Get<AliasDirConfig>(descriptor);
        if (conf is null || conf.Redirects.Count == 0)
        {
            return HookResult.Declined;
        }

        AliasEntry? e = AliasMatcher.TryList(conf.Redirects, r.Uri, isRedirect: true, out string? url);
        return e is null ? HookResult.Declined : Redirect(r, e.Status, url);
    }

    private static int Redirect(RequestRecord r, int status, string? target)
    {
        if (status is < 300 or > 399 || target is null)
        {
            return status;
        }

        string? location = AliasMatcher.BuildLocation(target, r.Args ?? r.Request.QueryString, ServerUrl.RequestHost(r), ServerUrl.RequestPort(r), ServerUrl.IsSecure(r));
        if (location is null)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "alias",
                "AH00673: cannot redirect '" + r.Uri + "' to '" + target + "'; target is not a valid absoluteURI or abs_path", Client(r));
            return 500;
        }

        r.Response.Headers.Set("Location", location);
        return status;
    }

    private static string Client(RequestRecord r) =>
        r.Request.RemoteEndPoint.Address + ":" + r.Request.RemoteEndPoint.Port.ToString(CultureInfo.InvariantCulture);

    private static DirectiveDefinition[] Directives() =>
    [
        new("Alias", DirectiveArgs.Take12, DirectiveScope.RsrcConf | DirectiveScope.AccessConf,
            "a fakename and a realname, or a realname in a Location", call => AddAlias(call, regex: false, handler: null)),
        new("ScriptAlias", DirectiveArgs.Take12, DirectiveScope.RsrcConf | DirectiveScope.AccessConf,
            "a fakename and a realname, or a realname in a Location", call => AddAlias(call, regex: false, handler: "cgi-script")),
        new("Redirect", DirectiveArgs.Take123, DirectiveScope.OrFileInfo,
            "an optional status, then document to be redirected and destination URL", call => AddRedirect(call, MovedTemporarily, regex: false)),
        new("AliasMatch", DirectiveArgs.Take2, DirectiveScope.RsrcConf,
            "a regular expression and a filename", call => AddAlias(call, regex: true, handler: null)),
        new("ScriptAliasMatch", DirectiveArgs.Take2, DirectiveScope.RsrcConf,
            "a regular expression and a filename", call => AddAlias(call, regex: true, handler: "cgi-script")),
        new("RedirectMatch", DirectiveArgs.Take23, DirectiveScope.OrFileInfo,
            "an optional status, then a regular expression and destination URL", call => AddRedirect(call, MovedTemporarily, regex: true)),
        new("RedirectTemp", DirectiveArgs.Take2, DirectiveScope.OrFileInfo,
            "a document to be redirected, then the destination URL", call => AddRedirect(call, MovedTemporarily, regex: false)),
        new("RedirectPermanent", DirectiveArgs.Take2, DirectiveScope.OrFileInfo,
            "a document to be redirected, then the destination URL", call => AddRedirect(call, 301, regex: false)),
        new("RedirectRelative", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf,
            "Set to ON to allow relative redirect targets to be issued as-is",
            DirectiveBinders.Flag<AliasDirConfig>(DirectiveTarget.Directory, (c, v) => c.RedirectRelative = v)),
        DirectiveDefinition.Pending("AliasPreservePath", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf,
            "Set to ON to map the full path after the fakename to the realname."),
    ];

    private static string? AddAlias(DirectiveCall call, bool regex, string? handler)
    {
        if (call.Section != SectionKind.None && (call.Args.Count == 2 || call.Section is not (SectionKind.Location or SectionKind.LocationMatch)))
        {
            return call.Directive.Name + " cannot occur within directory context";
        }

        if (call.Args.Count == 1)
        {
            // The one-argument form inside <Location> (2.4.13+) needs the location walk before
            // translate_name, which the pipeline does not offer yet.
            if (call.Section is SectionKind.Location or SectionKind.LocationMatch)
            {
                call.AddWarning("PL00001", call.Directive.Name + " with one argument inside <Location> is accepted but not implemented yet");
                return null;
            }

            return call.Directive.Name + " must have two arguments when used globally";
        }

        Regex? pattern = null;
        if (regex)
        {
            try
            {
                pattern = ApacheRegex.Create(call.Args[0]);
            }
            catch (ArgumentException)
            {
                return "Regular expression could not be compiled.";
            }
        }

        call.GetServerRecord<AliasServerConfig>().Aliases.Add(new AliasEntry(call.Args[0], call.Args[1], pattern, 0, handler));
        return null;
    }

    // add_redirect_internal: an optional status word, then the URL-path (or pattern) and the URL;
    // inside a section without a path the section's own path is the URL-path.
    private static string? AddRedirect(DirectiveCall call, int status, bool regex)
    {
        string arg1 = call.Args[0];
        string? arg2 = call.Args.Count > 1 ? call.Args[1] : null;
        string? arg3 = call.Args.Count > 2 ? call.Args[2] : null;
        int grok = 1;
        if (call.Directive.Name is "Redirect" or "RedirectMatch")
        {
            if (arg1.Equals("permanent", StringComparison.OrdinalIgnoreCase))
            {
                status = 301;
            }
            else if (arg1.Equals("temp", StringComparison.OrdinalIgnoreCase))
            {
                status = MovedTemporarily;
            }
            else if (arg1.Equals("seeother", StringComparison.OrdinalIgnoreCase))
            {
                status = 303;
            }
            else if (arg1.Equals("gone", StringComparison.OrdinalIgnoreCase))
            {
                status = 410;
                grok = -1;
            }
            else if (arg1.Length > 0 && char.IsAsciiDigit(arg1[0]))
            {
                status = DirectiveBinders.CAtoi(arg1);
            }
            else
            {
                grok = 0;
            }
        }
        else
        {
            grok = 0;
        }

        if (arg3 is not null && grok == 0)
        {
            return "Redirect: invalid first argument (of three)";
        }

        string? fake;
        string? url;
        if (grok == 0)
        {
            (fake, url) = (arg1, arg2);
        }
        else
        {
            (fake, url) = (arg2, arg3);
        }

        bool inSection = call.Section != SectionKind.None;
        if (inSection && url is null && fake is not null && grok != -1)
        {
            // "Redirect [status] URL" inside <Location>: the location is the URL-path.
            (fake, url) = (call.SectionPath, fake);
        }
        else if (inSection && fake is null)
        {
            fake = call.SectionPath;
        }

        if (fake is null)
        {
            return "Redirect takes one, two or three arguments, an optional status, then document to be redirected and destination URL";
        }

        if (status is >= 300 and <= 399)
        {
            if (url is null)
            {
                return "URL to redirect to is missing";
            }

            if (!regex && !SelfUrl.IsUrl(url) && url[0] != '/')
            {
                return "Redirect to non-URL";
            }
        }
        else if (url is not null)
        {
            return "Redirect URL not valid for this status";
        }

        Regex? pattern = null;
        if (regex)
        {
            try
            {
                pattern = ApacheRegex.Create(fake);
            }
            catch (ArgumentException)
            {
                return "Regular expression could not be compiled.";
            }
        }

        var entry = new AliasEntry(fake, url, pattern, status);
        if (inSection)
        {
            call.GetDirRecord<AliasDirConfig>().Redirects.Add(entry);
        }
        else
        {
            call.GetServerRecord<AliasServerConfig>().Redirects.Add(entry);
        }

        return null;
    }
}
