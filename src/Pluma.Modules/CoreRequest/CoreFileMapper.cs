using Pluma.Connections.Diagnostics;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.CoreRequest;

/// <summary>
/// core's URI-to-file mapping: translate_name (DocumentRoot + URI), the directory walk that
/// finds the file and its path info and merges the per-directory configuration, then
/// <see cref="DirectoryWalk"/> for the symlink rules and access files (request.c).
/// </summary>
public static class CoreFileMapper
{
    // Apache's compiled-in DocumentRoot when none is configured (Debian's build).
    internal const string DefaultDocumentRoot = "/var/www/html";

    // The last mapping on this worker thread: the engine hands the same path string to a
    // keep-alive client's repeated requests, so the file name need not be built again.
    [ThreadStatic]
    private static string? t_lastRoot, t_lastUri, t_lastFilename;

    // The engine reuses a path string only for short paths (RecentString keeps up to 128 bytes),
    // so a longer one can never match again: not worth keeping up to 16 KiB per thread for it.
    private const int MaxRememberedUri = 128;

    public static int TranslateName(RequestRecord r)
    {
        if (r.Uri.Length == 0 || r.Uri[0] != '/')
        {
            r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00126: Invalid URI in request " + r.Request.RequestLine, LogClient.Of(r));
            return 400;
        }

        string root = r.Server.Core.DocumentRoot ?? DefaultDocumentRoot;
        if (ReferenceEquals(root, t_lastRoot) && ReferenceEquals(r.Uri, t_lastUri))
        {
            r.Filename = t_lastFilename;
            return HookResult.Ok;
        }

        r.Filename = root == "/" ? r.Uri : root + r.Uri;
        if (r.Uri.Length <= MaxRememberedUri)
        {
            (t_lastRoot, t_lastUri, t_lastFilename) = (root, r.Uri, r.Filename);
        }

        return HookResult.Ok;
    }

    /// <summary>Finds the file (and any trailing path info) and merges the per-directory config.</summary>
    public static int MapToStorage(RequestRecord r)
    {
        string? file = r.Filename;
        if (file is null)
        {
            r.DirConfig = r.Server.Config.WalkSections(null, false, r.Uri);
            return HookResult.Ok;
        }

        string trimmed = file.Length > 1 && file[^1] == '/' ? file.TrimEnd('/') : file;
        FileStatus st = FileStatus.Of(trimmed);
        if (st.Exists && !st.IsDirectory && trimmed.Length != file.Length)
        {
            // "/file.html/" names a file with path info "/".
            r.PathInfo = file[trimmed.Length..];
            r.Filename = trimmed;
        }
        else if (!st.Exists)
        {
            // Walk back to the longest existing prefix: a file there means the rest is path info.
            // Under a directory, ap_directory_walk stops at the first component that does not
            // exist: it ends r->filename, and what follows it is path info (REQUEST_FILENAME,
            // PATH_INFO and MultiViews see the split).
            int cut = trimmed.LastIndexOf('/');
            while (cut > 0)
            {
                FileStatus prefix = FileStatus.Of(trimmed[..cut]);
                if (prefix.Exists)
                {
                    if (!prefix.IsDirectory)
                    {
                        r.PathInfo = file[cut..];
                        r.Filename = trimmed[..cut];
                        st = prefix;
                    }
                    else
                    {
                        int missingEnd = trimmed.IndexOf('/', cut + 1);
                        missingEnd = missingEnd < 0 ? trimmed.Length : missingEnd;
                        if (missingEnd < file.Length)
                        {
                            r.PathInfo = file[missingEnd..];
                            r.Filename = trimmed[..missingEnd];
                        }
                    }

                    break;
                }

                cut = trimmed.LastIndexOf('/', cut - 1);
            }
        }

        if (!st.Exists && MissingFileProblem(r, trimmed) is int refused)
        {
            return refused;
        }

        r.FileInfo = st;
        string walkPath = r.Filename!;
        if (st.IsDirectory && walkPath.Length > 1)
        {
            walkPath = walkPath.TrimEnd('/');
        }

        // Symlink options and access files are checked going down the path, as in Apache's
        // directory walk (before any access checker runs); the access files read there merge
        // with the sections, each after its own directory's.
        int rc = DirectoryWalk.Check(r, r.Filename, st.IsDirectory, subrequest: false, out var accessFiles);
        r.DirConfig = r.Server.Config.WalkSections(walkPath, st.IsDirectory, r.Uri, exists: st.Exists, accessFiles: accessFiles);
        return rc;
    }

    /// <summary>
    /// Why a path that stat could not find is refused rather than missing, as Apache's directory
    /// walk decides (request.c ap_directory_walk): a name longer than the file system allows
    /// (ENAMETOOLONG, AH00036) and a symbolic link whose target is gone (AH00037) are 403.
    /// Only requests for missing files pay for the check.
    /// </summary>
    private static int? MissingFileProblem(RequestRecord r, string path)
    {
        foreach (string component in path.Split('/'))
        {
            if (System.Text.Encoding.UTF8.GetByteCount(component) > 255)
            {
                r.Server.ErrorLog.Write(LogLevel.Error, "core", "(36)File name too long: AH00036: access to " + r.Uri + " failed (filesystem path '" + path + "')", LogClient.Of(r));
                return 403;
            }
        }

        try
        {
            if (new System.IO.FileInfo(path).LinkTarget is not null)
            {
                r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00037: Symbolic link not allowed or link target not accessible: " + path, LogClient.Of(r));
                return 403;
            }
        }
        catch (System.IO.IOException)
        {
            // Not readable as a link: the path is simply missing.
        }

        return null;
    }
}
