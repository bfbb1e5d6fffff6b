using System.Buffers.Binary;
using System.IO;
using System.Text;
using Pluma.CompiledModules;
using Pluma.Config;
using Pluma.Modules.Mime;

namespace Pluma.Host;

/// <summary>
/// Hands a generation's mime.types table from the parent to its children, as Apache's forked
/// children inherit the table mod_mime's post_config built in the parent. Exec'd children would
/// otherwise each read and parse the file again: a sixth of a prefork child's start, and about
/// half of what its start-up collection keeps (bench/RESULTS.md, "Start"). The parent writes its
/// table (<see cref="MimeTypes.Image"/>, with the TypesConfig path it answers for) into its
/// generation's memory file (<see cref="GenerationMemfd"/>, named by <see cref="Variable"/>); a
/// child maps it read-only, shared with its siblings.
/// A child that finds none, or one it cannot read, reads the file itself as before.
/// </summary>
internal static class MimeTypesHandoff
{
    /// <summary>The environment variable that gives the children the descriptor of their generation's table.</summary>
    public const string Variable = "PLUMA_MIME_TYPES_FD";

    private static readonly GenerationMemfd s_memfd = new(Variable, "pluma-mime-types");

    /// <summary>
    /// Makes the table of <paramref name="config"/>'s TypesConfig (read now, or again if the file
    /// changed since it was) the one the children started from now on adopt. Nothing is handed
    /// down when mod_mime is not loaded or the file cannot be read (the children then fail as
    /// they did on their own).
    /// </summary>
    public static void Publish(LoadedConfig config)
    {
        ModuleDescriptor? mime = ModuleCatalog.Registry.FindByName(MimeModule.Name);
        if (mime is null || !config.IsLoaded(mime))
        {
            s_memfd.Withdraw();
            return;
        }

        string path = MimeModule.TypesConfigPath(config, mime);
        try
        {
            MimeTypes types = MimeTypes.Load(path);
            s_memfd.Publish(stream => Write(stream, path, types));
        }
        catch (IOException)
        {
            s_memfd.Withdraw();
        }
    }

    /// <summary>In a child: adopts its generation's table, if the parent handed one down; the descriptor is then closed.</summary>
    public static void AdoptInChild() => GenerationMemfd.Adopt(Variable, Map);

    private static void Write(Stream stream, string path, MimeTypes types)
    {
        byte[] name = Encoding.UTF8.GetBytes(path);
        Span<byte> header = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(header, name.Length);
        stream.Write(header);
        stream.Write(name);
        stream.Write(new byte[TableOffset(name.Length) - sizeof(int) - name.Length]);
        stream.Write(types.Image);
    }

    private static unsafe bool Map(int fd)
    {
        long size = Native.SizeOf(fd);
        if (size < sizeof(int) || size > int.MaxValue)
        {
            return false;
        }

        // Mapped for the rest of the process's life: requests look types up in it.
        byte* map = Native.MapReadOnlyShared(fd, (int)size);
        if (map is null)
        {
            return false;
        }

        var all = new ReadOnlySpan<byte>(map, (int)size);
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(all);
        int at = TableOffset(nameLength);
        if (nameLength < 0 || at > all.Length)
        {
            return false;
        }

        string path = Encoding.UTF8.GetString(all.Slice(sizeof(int), nameLength));
        return MimeTypes.Adopt(path, map + at, all.Length - at);
    }

    // The table starts 8-aligned after the length and the path: its fields are read in place.
    private static int TableOffset(int nameLength) => (sizeof(int) + nameLength + 7) & ~7;
}
