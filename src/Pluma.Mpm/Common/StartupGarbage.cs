namespace Pluma.Mpm.Common;

/// <summary>
/// What a child allocated to get ready (its generation's configuration read from the snapshot,
/// module tables, the request path) is mostly garbage once it serves, but the GC has no reason
/// to run before the child's first allocation budget is spent: the pages stay committed and,
/// since children are exec'd rather than forked, private to each child. Apache's forked
/// children share the parent's pool pages instead. One full, compacting collection in
/// aggressive mode just before serving keeps the survivors and gives the rest back to the
/// kernel (bench/RESULTS.md, "Memory").
/// </summary>
internal static class StartupGarbage
{
    public static void Release() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
