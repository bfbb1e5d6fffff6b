using System.Runtime.CompilerServices;

namespace Pluma.Scoreboard;

/// <summary>16 inline bytes (protocol, MPM name): a fixed-size field of a shared-memory struct.</summary>
[InlineArray(16)]
public struct Bytes16
{
    private byte _element0;
}

/// <summary>32 inline bytes (client address, virtual host).</summary>
[InlineArray(32)]
public struct Bytes32
{
    private byte _element0;
}

/// <summary>64 inline bytes (request line: 63 characters and a terminating zero, as Apache).</summary>
[InlineArray(64)]
public struct Bytes64
{
    private byte _element0;
}
