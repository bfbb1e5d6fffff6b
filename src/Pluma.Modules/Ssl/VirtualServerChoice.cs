using Pluma.Modules.Hosting;

namespace Pluma.Modules.Ssl;

/// <summary>The server whose certificate the handshake used, and the name the client sent by SNI (null without SNI).</summary>
public sealed record VirtualServerChoice(VirtualServer Server, string? ServerName);
