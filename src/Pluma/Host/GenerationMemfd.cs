using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pluma.Host;

/// <summary>
/// The way a generation's data goes from the parent to the children it starts, which Apache's
/// forked children simply inherit: an anonymous memory file (memfd_create(2), no close-on-exec)
/// whose descriptor every child inherits, named by an environment variable. The parent
/// publishes one per generation and closes the one before (the children that needed it read it
/// when they started); a child takes its descriptor once, then closes it and unsets the
/// variable, so nothing it starts (a CGI script) inherits either.
/// </summary>
/// <param name="variable">The environment variable that gives the children the descriptor.</param>
/// <param name="name">The memory file's name (shown in /proc/PID/fd).</param>
internal sealed class GenerationMemfd(string variable, string name)
{
    private int _published = -1;

    /// <summary>
    /// Parent: writes a new memory file with <paramref name="write"/> and makes it the one the
    /// children started from now on take; the previous generation's is closed.
    /// </summary>
    /// <exception cref="IOException">The memory file cannot be made or written (the previous one stays published).</exception>
    public void Publish(Action<Stream> write)
    {
        int fd = Native.MemfdCreate(name);
        if (fd < 0)
        {
            throw new IOException("memfd_create failed: " + Marshal.GetLastPInvokeErrorMessage());
        }

        try
        {
            using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write);
            write(stream);
        }
        catch
        {
            _ = Native.Close(fd);
            throw;
        }

        Replace(fd);
    }

    /// <summary>Parent: the children started from now on get nothing (the previous generation's file is closed).</summary>
    public void Withdraw() => Replace(-1);

    /// <summary>
    /// Child: <paramref name="read"/>'s result from the descriptor its parent handed down in
    /// <paramref name="variable"/>, which is then closed and the variable unset; the default
    /// when none was handed down.
    /// </summary>
    public static T? Adopt<T>(string variable, Func<int, T> read)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
        {
            return default;
        }

        try
        {
            return read(fd);
        }
        finally
        {
            _ = Native.Close(fd);
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private void Replace(int fd)
    {
        int previous = _published;
        _published = fd;
        Environment.SetEnvironmentVariable(variable, fd < 0 ? null : fd.ToString(CultureInfo.InvariantCulture));
        if (previous >= 0)
        {
            _ = Native.Close(previous);
        }
    }
}
