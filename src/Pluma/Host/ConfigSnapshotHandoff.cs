using System.Globalization;
using System.IO;
using Pluma.Config.Parsing;

namespace Pluma.Host;

/// <summary>
/// Hands a generation's configuration snapshot from the parent to its children. Apache's
/// children are forked and keep the parent's parsed configuration; Pluma's are exec'd and parse
/// again, so without this a child started by the idle-server maintenance hours later would read
/// whatever the files say by then: edits no graceful restart applied, or a tree a2enmod is half
/// way through changing. The parent writes the snapshot into its generation's memory file
/// (<see cref="GenerationMemfd"/>, named by <see cref="Variable"/>); a child reads it from there.
/// </summary>
internal static class ConfigSnapshotHandoff
{
    /// <summary>The environment variable that gives the children the descriptor of their generation's snapshot.</summary>
    public const string Variable = "PLUMA_CONFIG_SNAPSHOT_FD";

    private static readonly GenerationMemfd s_memfd = new(Variable, "pluma-config");

    /// <summary>
    /// Makes <paramref name="snapshot"/> the one the children started from now on read; the
    /// previous generation's descriptor is closed (its children read theirs when they started).
    /// </summary>
    public static void Publish(ConfigSnapshot snapshot) => s_memfd.Publish(snapshot.WriteTo);

    /// <summary>In a child: its generation's snapshot, read from the inherited descriptor, which is then closed.</summary>
    /// <exception cref="IOException">No snapshot was handed down, or it cannot be read.</exception>
    public static ConfigSnapshot ReadInChild() =>
        GenerationMemfd.Adopt(Variable, Read)
        ?? throw new IOException("PL00080: the parent handed down no configuration snapshot (" + Variable + " is not set)");

    private static ConfigSnapshot Read(int fd)
    {
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
    }
}
