using System.Collections.Generic;

namespace Pluma.Fuzz;

/// <summary>
/// The fuzz targets by name (the folder names under fuzz/corpus and fuzz/crashes). Each takes
/// one input, returns normally for any input Pluma handles as promised, and throws
/// (<see cref="InvariantViolationException"/> or whatever escaped Pluma's code) otherwise.
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["request-parser"] = RequestParserTarget.Run,
        ["chunked-body"] = ChunkedBodyTarget.Run,
        ["url-path"] = UrlPathTarget.Run,
        ["config-reader"] = ConfigReaderTarget.Run,
    };
}
