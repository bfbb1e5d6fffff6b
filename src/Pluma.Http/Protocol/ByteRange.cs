namespace Pluma.Http.Protocol;

/// <summary>One satisfiable range of a representation: first and last byte, inclusive.</summary>
public readonly record struct ByteRange(long First, long Last)
{
    /// <summary>How many bytes the range covers.</summary>
    public long Length => Last - First + 1;
}
