namespace Pluma.Modules.Mime;

/// <summary>mod_mime's per-server record: where the types file is (only the main server's is read, as Apache does).</summary>
public sealed class MimeServerConfig
{
    /// <summary>TypesConfig made absolute against ServerRoot; null for Apache's compiled default.</summary>
    public string? TypesConfig { get; set; }

    public static MimeServerConfig Merge(MimeServerConfig main, MimeServerConfig vhost) =>
        new() { TypesConfig = vhost.TypesConfig ?? main.TypesConfig };
}
