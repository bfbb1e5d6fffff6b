using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Core;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.CoreRequest;

/// <summary>
/// The checks of Apache's directory walk (request.c ap_directory_walk) that the cached section
/// merge cannot make: going down from "/" one directory at a time, it merges the Options and
/// AllowOverride of the &lt;Directory&gt; sections of that level, looks for the access files
/// (AccessFileName) where overrides are allowed, and checks the next component against the
/// options of the directory that holds it: a symbolic link needs FollowSymLinks there, or
/// SymLinksIfOwnerMatch and the same owner as its target (resolve_symlink). Only a server whose
/// plan says some directory restricts links or allows overrides walks at all, and the walk holds
/// the path in stack or pooled buffers: it allocates nothing and caches nothing per path.
/// </summary>
public static partial class DirectoryWalk
{
    private const int ENOENT = 2, EACCES = 13, ENOTDIR = 20;
    private const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    private const int StackLimit = 512;

    /// <summary>
    /// Walks <paramref name="path"/> (a request's file, or a sub-request's) for the request
    /// <paramref name="r"/>. Returns OK, 403 (a refused link, an unusable access file) or 500 (an
    /// access file Pluma cannot read yet). <paramref name="subrequest"/>: a DirectoryIndex,
    /// autoindex entry or HeaderName/ReadmeName lookup, whose refusal of its own last component
    /// Apache logs as AH00032 (the sub-request's shortcut through its parent's walk).
    /// </summary>
    public static int Check(RequestRecord r, string? path, bool isDirectory, bool subrequest = false)
    {
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

            var walk = new Walker(r, plan, chars[..length], bytes[..byteLength], scratch, isDirectory, subrequest);
            return walk.Run();
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
        private CoreOptions _options;
        private bool _override;
        private bool _overrideList;
        private int _section;

        public Walker(RequestRecord r, DirectoryWalkPlan plan, ReadOnlySpan<char> chars, Span<byte> bytes, Span<byte> scratch, bool isDirectory, bool subrequest)
        {
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
                if (s.Override is bool allowed)
                {
                    _override = allowed;
                }

                _overrideList |= s.OverrideList;
            }
        }

        // ap_parse_htaccess for the directory _bytes[..end] (which ends with '/'): each access file
        // name in turn. An absent file is fine; one that cannot be opened or is not a regular file
        // is Apache's AH00529 (403); one that exists is refused with 500 until Pluma reads them.
        private readonly unsafe int CheckAccessFiles(int end)
        {
            if (!(_override || _overrideList) || !_plan.ChecksAccessFiles)
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
                    if (errno == 0 && st.IsRegular)
                    {
                        int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                        if (fd < 0)
                        {
                            errno = Marshal.GetLastPInvokeError();
                        }
                        else
                        {
                            _ = close(fd);
                        }
                    }
                }

                if (errno is ENOENT or ENOTDIR)
                {
                    continue;
                }

                string file = Encoding.UTF8.GetString(_scratch[..(end + name.Length)]);
                string directory = Encoding.UTF8.GetString(_bytes[..end]);
                if (errno == 0 && st.IsRegular)
                {
                    _r.Server.ErrorLog.Write(LogLevel.Alert, "core",
                        "PL00040: " + file + ": .htaccess files are not read yet and '" + directory + "' allows overrides (AllowOverride or AllowOverrideList), so the request is refused rather than served without the file's rules",
                        LogClient.Of(_r));
                    return 500;
                }

                if (errno == 0)
                {
                    // ap_pcfg_openfile refuses anything but a regular file.
                    _r.Server.ErrorLog.Write(LogLevel.Error, "core", "AH00554: Access to file " + file + " denied by server: not a regular file", null);
                }

                _r.Server.ErrorLog.Write(LogLevel.Crit, "core",
                    "AH00529: " + file + " pcfg_openfile: unable to check htaccess file, ensure it is readable and that '" + directory + "' is executable",
                    LogClient.Of(_r));
                return 403;
            }

            return HookResult.Ok;
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

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static unsafe partial int open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
