using System.Collections.Generic;

namespace Pluma.Config;

/// <summary>
/// Every module compiled into Pluma (httpd's <c>ap_prelinked_modules[]</c>), in a fixed order.
/// The host builds it once and passes it to <see cref="ConfigLoader"/>; LoadModule switches entries on.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly ModuleDescriptor[] _modules;
    private readonly Dictionary<string, ModuleDescriptor> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModuleDescriptor> _bySource = new(StringComparer.Ordinal);

    public ModuleRegistry(IEnumerable<ModuleDescriptor> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        List<ModuleDescriptor> list = [.. modules];
        for (int i = 0; i < list.Count; i++)
        {
            ModuleDescriptor m = list[i];
            if (m.Index >= 0 && m.Index != i)
            {
                throw new ArgumentException("Module " + m.Name + " is already part of another registry", nameof(modules));
            }

            if (!_byName.TryAdd(m.Name, m))
            {
                throw new ArgumentException("Module " + m.Name + " is listed twice", nameof(modules));
            }

            _bySource.TryAdd(m.SourceFile, m);
            m.Index = i;
        }

        _modules = [.. list];
    }

    public IReadOnlyList<ModuleDescriptor> Modules => _modules;

    public int Count => _modules.Length;

    /// <summary>By LoadModule name (<c>mime_module</c>).</summary>
    public ModuleDescriptor? FindByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>By LoadModule name or source file name, as &lt;IfModule&gt; looks modules up.</summary>
    public ModuleDescriptor? Find(string nameOrSourceFile) =>
        _byName.GetValueOrDefault(nameOrSourceFile) ?? _bySource.GetValueOrDefault(nameOrSourceFile);
}
