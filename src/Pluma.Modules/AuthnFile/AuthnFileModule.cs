using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.Common;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.AuthnFile;

/// <summary>
/// mod_authn_file: the "file" authentication provider over AuthUserFile (mod_authn_file.c,
/// check_password). Every hash htpasswd writes is checked (<see cref="PasswordValidator"/>); a
/// file that cannot be read is a 500 with AH01620, never a grant. The file is parsed again only
/// when it changes (<see cref="CachedTextFile{T}"/>).
/// </summary>
public static class AuthnFileModule
{
    public const string Name = "authn_file_module";

    private static readonly CachedTextFile<PasswordFile> s_files = new(PasswordFile.Parse);

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_authn_file.c", () =>
        [
            new DirectiveDefinition("AuthUserFile", DirectiveArgs.Take12, DirectiveScope.OrAuthCfg, "text file containing user IDs and passwords", SetUserFile),
        ])
        {
            CreateDirConfig = _ => new AuthnFileDirConfig(),
        };
        AuthnProviders.Register("file", (r, user, password) => CheckPassword(r, descriptor, user, password));
        return new HttpModule(descriptor);
    }

    private static AuthnStatus CheckPassword(RequestRecord r, ModuleDescriptor descriptor, string user, byte[] password)
    {
        string? path = r.DirConfig.Get<AuthnFileDirConfig>(descriptor)?.UserFile;
        if (path is null || r.Runtime.Find(Name) is null)
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "authn_file", "AH01619: AuthUserFile not specified in the configuration", LogClient.Of(r));
            return AuthnStatus.GeneralError;
        }

        PasswordFile? file = s_files.Get(path, out TextFileError error);
        if (file is null)
        {
            if (error == TextFileError.NotRegular)
            {
                r.Runtime.ErrorLog.Write(LogLevel.Error, "core", "AH00554: Access to file " + path + " denied by server: not a regular file");
            }

            // Apache's layout for a line with an OS error: the errno text before the client.
            r.Server.ErrorLog.Write(LogLevel.Error, "authn_file",
                CachedTextFile<PasswordFile>.ErrnoPrefix(error) + "[client " + LogClient.Of(r) + "] AH01620: Could not open password file: " + path);
            return AuthnStatus.GeneralError;
        }

        string? hash = file.HashOf(user);
        if (hash is null)
        {
            return AuthnStatus.UserNotFound;
        }

        return PasswordValidator.Validate(password, hash) ? AuthnStatus.Granted : AuthnStatus.Denied;
    }

    // set_authn_file_slot: the optional second word must be "standard"; the path is ServerRoot-relative.
    private static string? SetUserFile(DirectiveCall call)
    {
        if (call.Args.Count > 1 && call.Args[1] != "standard")
        {
            return "Invalid auth file type: " + call.Args[1];
        }

        call.GetDirRecord<AuthnFileDirConfig>().UserFile = call.ResolvePath(call.Args[0]);
        return null;
    }
}
