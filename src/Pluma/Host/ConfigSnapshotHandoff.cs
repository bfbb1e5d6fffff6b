using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pluma.Config.Parsing;

namespace Pluma.Host;

/// <summary>
/// Hands a generation's configuration snapshot from the parent to its children. Apache's
/// children are forked and keep the parent's parsed configuration; Pluma's are exec'd and parse
/// again, so without this a child started by the idle-server maintenance hours later would read
/// whatever the files say by then: edits no graceful restart applied, or a tree a2enmod is half
/// way through changing. The parent writes the snapshot into an anonymous memory file
/// (memfd_create(2)) whose descriptor its children inherit (<see cref="Variable"/> names it), one
/// per generation; a child reads it, then closes it so no CGI script inherits the configuration.
/// </summary>
internal static class ConfigSnapshotHandoff
{
    /// <summary>The environment variable that gives the children the descriptor of their generation's snapshot.</summary>
    public const string Variable = "PLUMA_CONFIG_SNAPSHOT_FD";

    private static int s_published = -1;

    /// <summary>
    /// Makes <paramref name="snapshot"/> the one the children started from now on read; the
    /// previous generation's descriptor is closed (its children read theirs when they started).
    /// </summary>
    public static void Publish(ConfigSnapshot snapshot)
    {
        int fd = Native.MemfdCreate("pluma-config"); // no MFD_CLOEXEC: the children inherit it
        if (fd < 0)
        {
            throw new IOException("memfd_create failed: " + Marshal.GetLastPInvokeErrorMessage());
        }

        using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write))
        {
            snapshot.WriteTo(stream);
        }

        int previous = s_published;
        s_published = fd;
        Environment.SetEnvironmentVariable(Variable, fd.ToString(CultureInfo.InvariantCulture));
        if (previous >= 0)
        {
            _ = Native.Close(previous);
        }
    }

    /// <summary>In a child: its generation's snapshot, read from the inherited descriptor, which is then closed.</summary>
    /// <exception cref="IOException">No snapshot was handed down, or it cannot be read.</exception>
    public static ConfigSnapshot ReadInChild()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
        {
            throw new IOException("PL00080: the parent handed down no configuration snapshot (" + Variable + " is not set)");
        }

        try
        {
            // A fresh open of the memory file reads it from its start, whatever the parent's offset.
            using FileStream stream = File.OpenRead("/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture));
            return ConfigSnapshot.ReadFrom(stream);
        }
        catch (InvalidDataException e)
        {
            throw new IOException("PL00080: the configuration snapshot the parent handed down cannot be read: " + e.Message, e);
        }
        finally
        {
            _ = Native.Close(fd);
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }
}
