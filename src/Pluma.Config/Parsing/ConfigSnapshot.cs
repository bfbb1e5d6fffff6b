using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Pluma.Config.Parsing;

/// <summary>
/// What one reading of the configuration saw of the file system (<see cref="IConfigFiles"/>),
/// answered again from memory: a child reads its generation's configuration from this record
/// the parent made, never from disk, so files edited (or half-written by a2enmod) after the
/// parent read them cannot reach a child before the next restart. A question the record cannot
/// answer means the child's reading diverged from the parent's: it fails (PL00080) rather than
/// guess.
/// </summary>
public sealed class ConfigSnapshot : IConfigFiles
{
    private const string Magic = "pluma-config-snapshot/1";

    private readonly Dictionary<string, (string? Text, string Reason, string? LoggedBefore)> _reads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string[]? Entries, string Error)> _listings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _directories = new(StringComparer.Ordinal);

    /// <summary>How many files the record holds (for the log and tests).</summary>
    public int FileCount => _reads.Count;

    public string? TryRead(string path, out string reason, out string? loggedBefore)
    {
        if (!_reads.TryGetValue(path, out var read))
        {
            reason = Missing(path);
            loggedBefore = null;
            return null;
        }

        reason = read.Reason;
        loggedBefore = read.LoggedBefore;
        return read.Text;
    }

    public string[] Entries(string path)
    {
        if (!_listings.TryGetValue(path, out var listing))
        {
            throw new IOException(Missing(path));
        }

        return listing.Entries is { } entries ? (string[])entries.Clone() : throw new IOException(listing.Error);
    }

    public bool FileExists(string path) => _files.TryGetValue(path, out bool exists) ? exists : throw new IOException(Missing(path));

    public bool DirectoryExists(string path) => _directories.TryGetValue(path, out bool exists) ? exists : throw new IOException(Missing(path));

    internal void AddRead(string path, string? text, string reason, string? loggedBefore) => _reads.TryAdd(path, (text, reason, loggedBefore));

    internal void AddListing(string path, string[]? entries, string error) => _listings.TryAdd(path, (entries, error));

    internal void AddFileExists(string path, bool exists) => _files.TryAdd(path, exists);

    internal void AddDirectoryExists(string path, bool exists) => _directories.TryAdd(path, exists);

    /// <summary>Writes the record (UTF-8, length-prefixed strings).</summary>
    public void WriteTo(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(_reads.Count);
        foreach (var (path, read) in _reads)
        {
            w.Write(path);
            WriteNullable(w, read.Text);
            w.Write(read.Reason);
            WriteNullable(w, read.LoggedBefore);
        }

        w.Write(_listings.Count);
        foreach (var (path, listing) in _listings)
        {
            w.Write(path);
            w.Write(listing.Entries?.Length ?? -1);
            foreach (string entry in listing.Entries ?? [])
            {
                w.Write(entry);
            }

            w.Write(listing.Error);
        }

        WriteAnswers(w, _files);
        WriteAnswers(w, _directories);
    }

    /// <summary>Reads a record <see cref="WriteTo"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a record.</exception>
    public static ConfigSnapshot ReadFrom(Stream stream)
    {
        var s = new ConfigSnapshot();
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (r.ReadString() != Magic)
            {
                throw new InvalidDataException("not a " + Magic);
            }

            for (int i = r.ReadInt32(); i > 0; i--)
            {
                string path = r.ReadString();
                string? text = ReadNullable(r);
                string reason = r.ReadString();
                s.AddRead(path, text, reason, ReadNullable(r));
            }

            for (int i = r.ReadInt32(); i > 0; i--)
            {
                string path = r.ReadString();
                int count = r.ReadInt32();
                string[]? entries = count < 0 ? null : new string[count];
                for (int k = 0; k < count; k++)
                {
                    entries![k] = r.ReadString();
                }

                s.AddListing(path, entries, r.ReadString());
            }

            ReadAnswers(r, s._files);
            ReadAnswers(r, s._directories);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the configuration snapshot is cut short", e);
        }

        return s;
    }

    private static string Missing(string path) =>
        "PL00080: " + path + " is not in the configuration the parent read for this generation (the child's reading diverged from the parent's)";

    private static void WriteNullable(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteAnswers(BinaryWriter w, Dictionary<string, bool> answers)
    {
        w.Write(answers.Count);
        foreach (var (path, exists) in answers)
        {
            w.Write(path);
            w.Write(exists);
        }
    }

    private static void ReadAnswers(BinaryReader r, Dictionary<string, bool> into)
    {
        for (int i = r.ReadInt32(); i > 0; i--)
        {
            string path = r.ReadString();
            into[path] = r.ReadBoolean();
        }
    }
}
