using System.Collections.Concurrent;
using System.IO;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Common;

/// <summary>Why a file named by the configuration could not be read, as Apache logs it.</summary>
public enum TextFileError
{
    None,

    /// <summary>ENOENT: "(2)No such file or directory".</summary>
    NotFound,

    /// <summary>EACCES: "(13)Permission denied".</summary>
    PermissionDenied,

    /// <summary>Not a regular file: ap_pcfg_openfile logs AH00554 and fails with EBADF.</summary>
    NotRegular,

    /// <summary>Another read error: "(5)Input/output error".</summary>
    ReadFailed,
}

/// <summary>
/// A text file that requests consult (AuthUserFile, AuthGroupFile), parsed once and kept until
/// stat(2) says it changed (inode, size, modification or change time, mode, owner): Apache opens
/// and reads it on every request, Pluma stats it and parses it again only when it changed, so an
/// edit (or a chmod that makes it unreadable) takes effect on the next request. Thread-safe; one
/// entry per path the configuration names.
/// </summary>
public sealed class CachedTextFile<T>
    where T : class
{
    private readonly Func<byte[], T> _parse;
    private readonly ConcurrentDictionary<string, (FileStatus Status, T Value)> _entries = new(StringComparer.Ordinal);

    public CachedTextFile(Func<byte[], T> parse) => _parse = parse;

    /// <summary>The parsed contents of <paramref name="path"/>, or null with the reason it could not be read.</summary>
    public T? Get(string path, out TextFileError error)
    {
        FileStatus status;
        try
        {
            status = FileStatus.Of(path);
        }
        catch (UnauthorizedAccessException)
        {
            error = TextFileError.PermissionDenied;
            return null;
        }

        if (!status.Exists)
        {
            _entries.TryRemove(path, out _);
            error = TextFileError.NotFound;
            return null;
        }

        if (!status.IsRegular && path != "/dev/null")
        {
            error = TextFileError.NotRegular;
            return null;
        }

        if (_entries.TryGetValue(path, out var cached) && cached.Status.IsSameFileAs(status))
        {
            error = TextFileError.None;
            return cached.Value;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = TextFileError.NotFound;
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            error = TextFileError.PermissionDenied;
            return null;
        }
        catch (IOException)
        {
            error = TextFileError.ReadFailed;
            return null;
        }

        T value = _parse(bytes);
        _entries[path] = (status, value);
        error = TextFileError.None;
        return value;
    }

    /// <summary>The "(errno)text: " prefix Apache's log line carries for <paramref name="error"/>.</summary>
    public static string ErrnoPrefix(TextFileError error) => error switch
    {
        TextFileError.NotFound => "(2)No such file or directory: ",
        TextFileError.PermissionDenied => "(13)Permission denied: ",
        TextFileError.NotRegular => "(9)Bad file descriptor: ",
        _ => "(5)Input/output error: ",
    };
}
