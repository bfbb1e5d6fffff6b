namespace Pluma.Http;

/// <summary>What <see cref="HttpResponseHeaders"/> did with one field of the response head.</summary>
internal enum FieldWrite
{
    /// <summary>The line is in the buffer.</summary>
    Written,

    /// <summary>The buffer is too small; nothing counts.</summary>
    NoRoom,

    /// <summary>The name is not a token (Apache: AH02429); nothing counts.</summary>
    BadName,

    /// <summary>The value holds CR, LF, NUL or another control character (Apache: AH02430); nothing counts.</summary>
    BadValue,
}
