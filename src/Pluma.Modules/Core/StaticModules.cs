using Pluma.Config;

namespace Pluma.Modules.Core;

/// <summary>
/// The modules compiled into Debian's apache2 besides core (<c>apache2 -l</c>): always loaded,
/// printed as <c>(static)</c> by <c>-M</c>. Their directives that Pluma has are declared by
/// core (User, Group ...) or by their own module folder (log_config); the rest are here.
/// </summary>
public static class StaticModules
{
    public static readonly ModuleDescriptor So = new("so_module", "mod_so.c",
    [
        // LoadModule itself is read-time (Pluma.Config); LoadFile loads a library we never need.
        DirectiveDefinition.Pending("LoadFile", DirectiveArgs.Iterate, DirectiveScope.RsrcConf, "shared object file or library to load into the server at runtime"),
    ])
    { IsStatic = true };

    public static readonly ModuleDescriptor Watchdog = new("watchdog_module", "mod_watchdog.c",
    [
        DirectiveDefinition.Pending("WatchdogInterval", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Watchdog interval in seconds"),
    ])
    { IsStatic = true };

    public static readonly ModuleDescriptor Http = new("http_module", "http_core.c") { IsStatic = true };

    public static readonly ModuleDescriptor Logio = new("logio_module", "mod_logio.c",
    [
        DirectiveDefinition.Pending("LogIOTrackTTFB", DirectiveArgs.Flag, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "Set to 'ON' to enable tracking time to first byte"),
    ])
    { IsStatic = true };

    public static readonly ModuleDescriptor Version = new("version_module", "mod_version.c") { IsStatic = true };

    public static readonly ModuleDescriptor Unixd = new("unixd_module", "mod_unixd.c") { IsStatic = true };
}
