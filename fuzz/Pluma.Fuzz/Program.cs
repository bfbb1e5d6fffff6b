using System.IO;
using SharpFuzz;

namespace Pluma.Fuzz;

/// <summary>
/// <c>Pluma.Fuzz TARGET</c> runs TARGET under afl-fuzz (SharpFuzz's out-of-process loop: a
/// stack overflow is a crash, not a dead fork server); <c>Pluma.Fuzz TARGET FILE...</c> runs
/// the files through it once, without AFL, and exits 1 on the first failure (scripts/fuzz.sh
/// uses it to print what a crash threw).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine("usage: Pluma.Fuzz {" + string.Join('|', FuzzTargets.All.Keys) + "} [input-file...]");
            return 2;
        }

        if (args.Length > 1)
        {
            return Replay(target, args[1..]);
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }

    private static int Replay(Action<byte[]> target, string[] files)
    {
        foreach (string file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(file + ": " + e);
                return 1;
            }
        }

        return 0;
    }
}
