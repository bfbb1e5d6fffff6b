using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Running;

namespace Pluma.Benchmarks;

/// <summary>dotnet run -c Release --project bench/Pluma.Benchmarks -- --filter '*' (see bench/README.md).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "loop")
        {
            Loop(args.Length >= 2 ? args[1] : "bundled", args.Length >= 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>
    /// <c>loop TREE N</c>: the pipeline benchmark's operation N times in a plain loop, for
    /// perf record / strace -c (no BenchmarkDotNet child processes to follow).
    /// </summary>
    private static void Loop(string tree, int count)
    {
        var b = new PipelineBenchmarks { Tree = tree };
        b.Setup();
        try
        {
            for (int i = 0; i < 200_000; i++)
            {
                b.SmallFileKeepAlive();
            }

            using AllocSampler? sampler = Environment.GetEnvironmentVariable("PLUMA_BENCH_ALLOC_TYPES") == "1" ? new AllocSampler() : null;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                b.SmallFileKeepAlive();
            }

            watch.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine($"{tree}: {watch.Elapsed.TotalNanoseconds / count:F0} ns/request, {allocated / (double)count:F0} B/request over {count} requests");
            if (sampler is not null)
            {
                foreach (var (type, n) in sampler.Types.OrderByDescending(x => x.Value))
                {
                    Console.WriteLine($"  {n,6} allocation ticks  {type}");
                }
            }
        }
        finally
        {
            b.Cleanup();
        }
    }
}
