using System.IO;
using System.Linq;
using Pluma.Config;
using Pluma.Modules.Hosting;
using Pluma.Testing;

namespace Pluma.Modules.Tests.Support;

/// <summary>Loads a small configuration text with the given modules (each loaded by LoadModule).</summary>
public static class ConfigFixture
{
    public static LoadedConfig Load(string text, params HttpModule[] modules)
    {
        using var dir = new TempDirectory();
        string loads = string.Concat(modules.Select(m => "LoadModule " + m.Name + " /dev/null\n"));
        File.WriteAllText(dir.Combine("apache2.conf"), loads + text);
        return ConfigLoader.Load(new ConfigLoadOptions
        {
            Registry = new ModuleRegistry(modules.Select(m => m.Descriptor)),
            ServerRoot = dir.Path,
            Environment = new System.Collections.Generic.Dictionary<string, string>(),
        });
    }

    /// <summary>As <see cref="Load"/>, but modules whose descriptor is static (core, log_config) are not LoadModule'd.</summary>
    public static LoadedConfig LoadWithStatic(string text, params HttpModule[] modules)
    {
        using var dir = new TempDirectory();
        string loads = string.Concat(modules.Where(m => !m.Descriptor.IsStatic).Select(m => "LoadModule " + m.Name + " /dev/null\n"));
        File.WriteAllText(dir.Combine("apache2.conf"), loads + text);
        return ConfigLoader.Load(new ConfigLoadOptions
        {
            Registry = new ModuleRegistry(modules.Select(m => m.Descriptor)),
            ServerRoot = dir.Path,
            Environment = new System.Collections.Generic.Dictionary<string, string>(),
        });
    }

    public static T Dir<T>(LoadedConfig config, HttpModule module, string? path = null, string uri = "/")
        where T : class =>
        (path is null ? config.MainServer.DirDefaults : config.MainServer.WalkSections(path, isDirectory: false, uri)).Get<T>(module.Descriptor)!;

    public static T Server<T>(LoadedConfig config, HttpModule module)
        where T : class => config.MainServer.ModuleConfig.Get<T>(module.Descriptor)!;

    public static ConfigException LoadFails(string text, params HttpModule[] modules) =>
        Assert.Throws<ConfigException>(() => Load(text, modules));
}
