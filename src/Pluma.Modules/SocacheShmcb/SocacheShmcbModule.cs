using Pluma.Config;

namespace Pluma.Modules.SocacheShmcb;

/// <summary>
/// mod_socache_shmcb: Debian's ssl.load depends on it (a2enmod ssl enables it) for
/// SSLSessionCache shmcb:. It has no directives; Pluma's mod_ssl resumes sessions with the
/// cache OpenSSL keeps in each child, so loading it provides nothing more and needs nothing.
/// </summary>
public static class SocacheShmcbModule
{
    public static ModuleDescriptor Descriptor { get; } = new("socache_shmcb_module", "mod_socache_shmcb.c");
}
