using System.Collections.Generic;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Authz;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AuthzGroupfile;

/// <summary>
/// mod_authz_groupfile: AuthGroupFile and the "Require group NAME..." provider
/// (mod_authz_groupfile.c, group_check_authorization). A group file that cannot be read denies
/// (AH01665, then authz_core's 401), never grants; the file is parsed again only when it changes.
/// </summary>
public static class AuthzGroupfileModule
{
    public const string Name = "authz_groupfile_module";

    private static readonly CachedTextFile<GroupFile> s_files = new(GroupFile.Parse);

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_authz_groupfile.c", () =>
        [
            new DirectiveDefinition("AuthGroupFile", DirectiveArgs.Take12, DirectiveScope.OrAuthCfg, "text file containing group names and member user IDs", SetGroupFile),
        ])
        {
            CreateDirConfig = _ => new AuthzGroupfileDirConfig(),
        };
        AuthzProviders.Register("group", (r, groups) => CheckGroup(r, groups, descriptor));
        return new HttpModule(descriptor);
    }

    private static AuthzResult CheckGroup(IAuthzRequest request, IReadOnlyList<string> groups, ModuleDescriptor descriptor)
    {
        if (request.User is not { } user)
        {
            return AuthzResult.DeniedNoUser;
        }

        if (request.Record is not { } r)
        {
            return AuthzResult.Denied;
        }

        string? path = r.Runtime.Find(Name) is null ? null : r.DirConfig.Get<AuthzGroupfileDirConfig>(descriptor)?.GroupFile;
        if (path is null)
        {
            Log(r, LogLevel.Error, "AH01664: No group file was specified in the configuration");
            return AuthzResult.Denied;
        }

        GroupFile? file = s_files.Get(path, out TextFileError error);
        if (file is null)
        {
            if (error == TextFileError.NotRegular)
            {
                r.Runtime.ErrorLog.Write(LogLevel.Error, "core", "AH00554: Access to file " + path + " denied by server: not a regular file");
            }

            r.Server.ErrorLog.Write(LogLevel.Error, "authz_groupfile",
                CachedTextFile<GroupFile>.ErrnoPrefix(error) + "[client " + LogClient.Of(r) + "] AH01665: Could not open group file: " + path);
            return AuthzResult.Denied;
        }

        IReadOnlySet<string> member = file.GroupsOf(user);
        if (member.Count == 0)
        {
            Log(r, LogLevel.Error, "AH01666: Authorization of user " + user + " to access " + r.Uri + " failed, reason: user doesn't appear in group file (" + path + ").");
            return AuthzResult.Denied;
        }

        foreach (string g in groups)
        {
            if (member.Contains(g))
            {
                return AuthzResult.Granted;
            }
        }

        Log(r, LogLevel.Debug, "AH01667: Authorization of user " + user + " to access " + r.Uri + " failed, reason: user is not part of the 'require'ed group(s).");
        return AuthzResult.Denied;
    }

    private static void Log(RequestRecord r, LogLevel level, string message) =>
        r.Server.ErrorLog.Write(level, "authz_groupfile", message, LogClient.Of(r));

    private static string? SetGroupFile(DirectiveCall call)
    {
        if (call.Args.Count > 1 && call.Args[1] != "standard")
        {
            return "Invalid auth file type: " + call.Args[1];
        }

        call.GetDirRecord<AuthzGroupfileDirConfig>().GroupFile = call.ResolvePath(call.Args[0]);
        return null;
    }
}
