using System.Collections.Generic;
using System.IO;
using Pluma.Config;

namespace Pluma.Config.Tests;

/// <summary>A throw-away ServerRoot with config files written from the test.</summary>
internal sealed class TempConfTree : IDisposable
{
    public TempConfTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "pluma-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string text)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public LoadedConfig Load(string mainText, ModuleRegistry? registry = null, IReadOnlyList<string>? pre = null,
        IReadOnlyList<string>? post = null, IReadOnlyList<string>? defines = null, Dictionary<string, string>? env = null)
    {
        Write("main.conf", mainText);
        return ConfigLoader.Load(new ConfigLoadOptions
        {
            Registry = registry ?? TestModules.Registry(),
            ServerRoot = Root,
            ConfigFile = "main.conf",
            PreDirectives = pre ?? [],
            PostDirectives = post ?? [],
            Defines = defines ?? [],
            Environment = env ?? new Dictionary<string, string>(),
        });
    }

    public ConfigException Fail(string mainText, ModuleRegistry? registry = null, IReadOnlyList<string>? pre = null, IReadOnlyList<string>? post = null) =>
        Assert.Throws<ConfigException>(() => Load(mainText, registry, pre, post));

    public string MainFile => Path.Combine(Root, "main.conf");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
