namespace Pluma.Http.Protocol;

/// <summary>What a Range header asks of a representation, after Apache's checks and merging.</summary>
public enum RangeOutcome
{
    /// <summary>Send the whole representation with 200 (no Range, an invalid one, or a limit hit).</summary>
    Full,

    /// <summary>206 with the ranges found (one: Content-Range; several: multipart/byteranges).</summary>
    Partial,

    /// <summary>416: every range starts beyond the end.</summary>
    NotSatisfiable,
}
