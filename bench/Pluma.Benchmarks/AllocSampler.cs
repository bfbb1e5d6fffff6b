using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Pluma.Benchmarks;

/// <summary>Samples GC AllocationTick events (about one per 100 KB) by type name: where the bytes go.</summary>
internal sealed class AllocSampler : EventListener
{
    public ConcurrentDictionary<string, int> Types { get; } = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName == "GCAllocationTick_V4" && e.Payload is { } p)
        {
            int i = e.PayloadNames!.IndexOf("TypeName");
            Types.AddOrUpdate((string)p[i]!, 1, (_, n) => n + 1);
        }
    }
}
