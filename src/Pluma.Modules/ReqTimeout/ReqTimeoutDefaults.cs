using Pluma.Http;

namespace Pluma.Modules.ReqTimeout;

/// <summary>mod_reqtimeout's compiled defaults (MRT_DEFAULT_* in mod_reqtimeout.c, 2.4.39+).</summary>
public static class ReqTimeoutDefaults
{
    /// <summary>header=20-40,MinRate=500.</summary>
    public static readonly RequestReadTimeout Header = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), 500);

    /// <summary>body=20,MinRate=500.</summary>
    public static readonly RequestReadTimeout Body = new(TimeSpan.FromSeconds(20), TimeSpan.Zero, 500);

    /// <summary>handshake=0 (off).</summary>
    public static readonly RequestReadTimeout Handshake = new(TimeSpan.Zero, TimeSpan.Zero, 0);
}
