namespace Pluma.FunctionalTests;

/// <summary>Threaded-MPM directive blocks that several test classes share.</summary>
internal static class ThreadedMpmBlocks
{
    /// <summary>
    /// One child with two worker threads and no recycling: the smallest event or worker server in
    /// which a connection can wait behind, or change hands between, busy workers.
    /// </summary>
    public const string OneChildTwoWorkers = """
        StartServers            1
        ServerLimit             1
        ThreadLimit             2
        ThreadsPerChild         2
        MinSpareThreads         1
        MaxSpareThreads         2
        MaxRequestWorkers       2
        MaxConnectionsPerChild  0
        """;
}
