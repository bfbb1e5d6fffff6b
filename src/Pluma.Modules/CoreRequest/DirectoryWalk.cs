using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Pluma.Config;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.CoreRequest;

/// <summary>
/// The checks of Apache's directory walk (request.c ap_directory_walk) that the cached section
/// merge cannot make: going down from "/" one directory at a time, it merges the Options and
/// AllowOverride of the &lt;Directory&gt; sections of that level, reads the access files
/// (AccessFileName) where overrides are allowed (ap_parse_htaccess, through the server's
/// <see cref="AccessFileCache"/>) and merges their Options, and checks the next component against
/// the options of the directory that holds it: a symbolic link needs FollowSymLinks there, or
/// SymLinksIfOwnerMatch and the same owner as its target (resolve_symlink). Only a server whose
/// plan says some directory restricts links or allows overrides walks at all, and the walk holds
/// the path in stack or pooled buffers: where no access file exists it allocates nothing.
/// </summary>
public static partial class DirectoryWalk
{
    private const int ENOENT = 2, EACCES = 13, ENOTDIR = 20;
    private const int StackLimit = 512;

    // The access files one walk found, handed to the section merge right after (one per thread:
    // every caller merges before it walks again).
    [ThreadStatic]
    private static List<DirSection>? t_found;

    /// <summary>
    /// Walks <paramref name="path"/> (a request's file, or a sub-request's) for the request
    /// <paramref name="r"/>. Returns OK, 403 (a refused link, an unreadable access file) or 500 (an
    /// access file with a directive that is unknown, not allowed there or wrong).
    /// <paramref name="subrequest"/>: a DirectoryIndex, autoindex entry or HeaderName/ReadmeName
    /// lookup, whose refusal of its own last component Apache logs as AH00032 (the sub-request's
    /// shortcut through its parent's walk). <paramref name="accessFiles"/>: the sections of the
    /// access files read on the way, shallowest first, for <c>ServerConfig.WalkSections</c> to
    /// merge at once (null when none); valid until this thread walks again.
    /// </summary>
    public static int Check(RequestRecord r, string? path, bool isDirectory, bool subrequest, out IReadOnlyList<DirSection>? accessFiles)
    {
        accessFiles = null;
        DirectoryWalkPlan plan = r.Server.DirectoryWalk;
        if (!plan.IsActive || string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return HookResult.Ok;
        }

        int length = path.Length;
        while (length > 1 && path[length - 1] == '/')
        {
            length--;
        }

        // The path with a '/' after its last component, as text (for matching sections) and as
        // bytes (for the system calls); the scratch buffer takes a directory plus an access file name.
        int charCount = length + 1;
        int byteCount = Encoding.UTF8.GetMaxByteCount(length) + 2;
        int scratchCount = byteCount + plan.LongestAccessName + 1;
        char[]? rentedChars = charCount > StackLimit ? ArrayPool<char>.Shared.Rent(charCount) : null;
        byte[]? rentedBytes = byteCount > StackLimit ? ArrayPool<byte>.Shared.Rent(byteCount) : null;
        byte[]? rentedScratch = scratchCount > StackLimit * 2 ? ArrayPool<byte>.Shared.Rent(scratchCount) : null;
        try
        {
            Span<char> chars = rentedChars is null ? stackalloc char[StackLimit] : rentedChars;
            Span<byte> bytes = rentedBytes is null ? stackalloc byte[StackLimit] : rentedBytes;
            Span<byte> scratch = rentedScratch is null ? stackalloc byte[StackLimit * 2] : rentedScratch;
            path.AsSpan(0, length).CopyTo(chars);
            int byteLength = Encoding.UTF8.GetBytes(path.AsSpan(0, length), bytes);
            if (length > 1)
            {
                // The root is "/" already; any other path gets the '/' that closes its last level.
                chars[length++] = '/';
                bytes[byteLength++] = (byte)'/';
            }

            List<DirSection>? found = null;
            if (plan.ChecksAccessFiles)
            {
                found = t_found ??= [];
                found.Clear();
            }

            var walk = new Walker(r, plan, chars[..length], bytes[..byteLength], scratch, isDirectory, subrequest, found);
            int rc = walk.Run();
            if (found is { Count: > 0 } && rc == HookResult.Ok)
            {
                accessFiles = found;
            }

            return rc;
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedScratch is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedScratch);
            }
        }
    }

    /// <summary>One walk down one path: the running options and overrides, and where it is.</summary>
    private ref struct Walker
    {
        private readonly RequestRecord _r;
        private readonly DirectoryWalkPlan _plan;
        private readonly ReadOnlySpan<char> _chars;
        private readonly Span<byte> _bytes;
        private readonly Span<byte> _scratch;
        private readonly bool _isDirectory;
        private readonly bool _subrequest;
        private readonly List<DirSection>? _found;
        private CoreOptions _options;
        private AccessFileOverrides _override;
        private IReadOnlyList<string>? _overrideList;
        private int _section;

        public Walker(RequestRecord r, DirectoryWalkPlan plan, ReadOnlySpan<char> chars, Span<byte> bytes, Span<byte> scratch, bool isDirectory, bool subrequest, List<DirSection>? found)
        {
            _found = found;
            _r = r;
            _plan = plan;
            _chars = chars;
            _bytes = bytes;
            _scratch = scratch;
            _isDirectory = isDirectory;
            _subrequest = subrequest;
            _options = plan.DefaultOptions;
            _override = plan.DefaultOverride;
            _overrideList = plan.DefaultOverrideList;
        }

        // _chars and _bytes end with the '/' added after the last component; the prefix up to and
        // including a '/' is one directory level (the root "/" is level 1, as a section's slash count).
        public int Run()
        {
            int lastChar = _chars.Length - 1;
            int c = 1, b = 1, level = 1;
            while (true)
            {
                MergeSections(level, _chars[..c]);
                int rc = CheckAccessFiles(b);
                if (rc != HookResult.Ok || c > lastChar)
                {
                    return rc;
                }

                int nextChar = c + _chars[c..].IndexOf('/');
                int nextByte = b + _bytes[b..].IndexOf((byte)'/');
                bool last = nextChar == lastChar;
                if (nextChar > c && !DirectoryWalkPlan.FollowsFreely(_options))
                {
                    rc = CheckComponent(nextChar, nextByte, last, out bool descend);
                    if (rc != HookResult.Ok || !descend)
                    {
                        return rc;
                    }
                }
                else if (last && !_isDirectory)
                {
                    // The file itself, in a directory that follows links freely: nothing to check.
                    return HookResult.Ok;
                }

                c = nextChar + 1;
                b = nextByte + 1;
                level++;
            }
        }

        // Apache's "Begin *this* level by looking for matching <Directory> sections".
        private void MergeSections(int level, ReadOnlySpan<char> directory)
        {
            DirectoryWalkPlan.WalkSection[] sections = _plan.Sections;
            for (; _section < sections.Length && sections[_section].Components <= level; _section++)
            {
                DirectoryWalkPlan.WalkSection s = sections[_section];
                if (s.Components != level || !s.Matches(directory))
                {
                    continue;
                }

                _options = s.MergeOptions(_options);
                if (s.Override is { } overrides)
                {
                    _override = overrides;
                }

                // core_opts_merge: a list replaces the inherited one; an unset one keeps it.
                if (s.OverrideList is { } list)
                {
                    _overrideList = list;
                }
            }
        }

        // ap_parse_htaccess for the directory _bytes[..end] (which ends with '/'): the first access
        // file name that exists there is read (from the cache while the file is unchanged) and its
        // section kept for the merge. One that cannot be read or is not a regular file is AH00529
        // (403, never served without its rules); one with a bad directive is a 500.
        private unsafe int CheckAccessFiles(int end)
        {
            if (_found is null || !DirectoryWalkPlan.ReadsAccessFiles(_override, _overrideList))
            {
                return HookResult.Ok;
            }

            _bytes[..end].CopyTo(_scratch);
            foreach (byte[] name in _plan.AccessNames)
            {
                name.CopyTo(_scratch[end..]);
                _scratch[end + name.Length] = 0;
                int errno;
                FileStatus st;
                fixed (byte* p = _scratch)
                {
                    errno = FileStatus.TryStat(p, follow: true, out st);
                }

                if (errno is ENOENT or ENOTDIR)
                {
                    continue;
                }

                ReadOnlySpan<byte> fileBytes = _scratch[..(end + name.Length)];
                var stamp = new AccessFileStamp(st.Inode, st.Size, st.LastWriteUtc, st.ChangeTimeNs, st.Mode, st.OwnerUid, st.OwnerGid);
                AccessFileResult? parsed = errno == 0 && st.IsRegular ? _plan.AccessFiles.Find(fileBytes, stamp, _override, _overrideList) : null;
                if (parsed is null)
                {
                    string file = Encoding.UTF8.GetString(fileBytes);
                    string directory = Encoding.UTF8.GetString(_bytes[..end]);
                    if (errno == 0 && st.IsRegular)
                    {
                        errno = Read(file, out string text);
                        if (errno == 0)
                        {
                            parsed = AccessFileParser.Parse(_r.Runtime.Config, _r.Server.Config, directory, file, text, Overrides());
                            _plan.AccessFiles.Store(fileBytes, stamp, _override, _overrideList, parsed);
                        }
                    }
                    else if (errno == 0)
                    {
                        // ap_pcfg_openfile refuses anything but a regular file.
                        _r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00554: Access to file " + file + " denied by server: not a regular file", null);
                    }

                    if (parsed is null)
                    {
                        _r.Server.ErrorLog.Write(LogLevel.Crit, "core",
                            "AH00529: " + file + " pcfg_openfile: unable to check htaccess file, ensure it is readable and that '" + directory + "' is executable",
                            LogClient.Of(_r));
                        _r.Notes["error-notes"] = "Server unable to read htaccess file, denying access to be safe";
                        return 403;
                    }
                }

                foreach (ConfigWarning w in parsed.Warnings)
                {
                    _r.Server.ErrorLog.Write(LogLevel.Warn, "core", w.ToString(), null);
                }

                if (parsed.Section is not { } section)
                {
                    // httpd's "FILE: REASON" (no AH number, no line: ap_parse_htaccess).
                    _r.Server.ErrorLog.Write(LogLevel.Alert, "core", Encoding.UTF8.GetString(fileBytes) + ": " + parsed.Error, LogClient.Of(_r));
                    return 500;
                }

                _found.Add(section);
                if (section.Config.Get<CoreDirConfig>(CoreModule.Descriptor) is { } core)
                {
                    // The file's Options decide the links below it (core_opts_merge of the htaccess conf).
                    _options = ((core.Options ?? _options) | core.OptionsAdd) & ~core.OptionsRemove;
                }

                // httpd stops at the first access file name it could open.
                return HookResult.Ok;
            }

            return HookResult.Ok;
        }

        // What this directory lets its access file say (httpd's override, override_opts, override_list).
        private readonly AccessFileOverrides Overrides() =>
            _overrideList is null ? _override : _override with { Listed = _overrideList };

        // The file's text, or errno (EACCES for a file the server's user may not read).
        private static int Read(string file, out string text)
        {
            text = string.Empty;
            try
            {
                text = File.ReadAllText(file);
                return 0;
            }
            catch (UnauthorizedAccessException)
            {
                return EACCES;
            }
            catch (IOException e)
            {
                return e.HResult & 0xFFFF;
            }
        }

        // The lstat of the next component (_chars[..end], _bytes[..byteEnd]) and, for a link,
        // resolve_symlink with the options of the directory holding it. descend: it is a directory
        // to walk into (false once the walk reached a file or something that does not exist).
        private readonly unsafe int CheckComponent(int end, int byteEnd, bool last, out bool descend)
        {
            descend = false;
            int errno;
            FileStatus link, target = default;
            _bytes[byteEnd] = 0;
            try
            {
                fixed (byte* p = _bytes)
                {
                    errno = FileStatus.TryStat(p, follow: false, out link);
                    if (errno == 0 && link.IsSymlink)
                    {
                        errno = FileStatus.TryStat(p, follow: true, out target) == 0 ? 0 : -1;
                    }
                }
            }
            finally
            {
                _bytes[byteEnd] = (byte)'/';
            }

            if (errno is ENOENT or ENOTDIR)
            {
                return HookResult.Ok;
            }

            if (errno == EACCES)
            {
                _r.Server.ErrorLog.Write(LogLevel.Error, "core",
                    "AH00035: access to " + _r.Uri + " denied (filesystem path '" + new string(_chars[..end]) + "') because search permissions are missing on a component of the path",
                    LogClient.Of(_r));
                return 403;
            }

            if (errno > 0)
            {
                _r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00036: access to " + _r.Uri + " failed (filesystem path '" + new string(_chars[..end]) + "')", LogClient.Of(_r));
                return 403;
            }

            FileStatus found = link;
            if (link.IsSymlink)
            {
                bool allowed = (_options & CoreOptions.SymLinksIfOwnerMatch) != 0
                    ? errno == 0 && target.OwnerUid == link.OwnerUid
                    : (_options & CoreOptions.FollowSymLinks) != 0 && errno == 0;
                if (!allowed)
                {
                    string id = _subrequest && last ? "AH00032" : "AH00037";
                    _r.Server.ErrorLog.Write(LogLevel.Error, "core",
                        id + ": Symbolic link not allowed or link target not accessible: " + new string(_chars[..end]), LogClient.Of(_r));
                    return 403;
                }

                found = target;
            }

            if (found.IsDirectory)
            {
                descend = true;
                return HookResult.Ok;
            }

            if (!found.IsRegular)
            {
                _r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00038: Forbidden: " + new string(_chars[..end]) + " doesn't point to a file or directory", LogClient.Of(_r));
                return 403;
            }

            return HookResult.Ok;
        }
    }
}
