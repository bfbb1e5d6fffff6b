using Pluma.Http.Protocol;

namespace Pluma.Http.Internal;

/// <summary>
/// The "Date: ...\r\n" line, formatted once per second and shared by every thread (the array is
/// replaced, never changed, so a reader always sees a whole line).
/// </summary>
internal static class DateHeaderCache
{
    private sealed class Entry(long second, byte[] line)
    {
        public readonly long Second = second;
        public readonly byte[] Line = line;
    }

    private static Entry s_current = new(-1, []);

    public static ReadOnlySpan<byte> Line(DateTime utcNow)
    {
        long second = utcNow.Ticks / TimeSpan.TicksPerSecond;
        Entry entry = s_current;
        if (entry.Second != second)
        {
            byte[] line = new byte[6 + HttpDate.Length + 2];
            "Date: "u8.CopyTo(line);
            HttpDate.Format(new DateTime(second * TimeSpan.TicksPerSecond, DateTimeKind.Utc), line.AsSpan(6));
            line[^2] = (byte)'\r';
            line[^1] = (byte)'\n';
            entry = new Entry(second, line);
            s_current = entry;
        }

        return entry.Line;
    }
}
