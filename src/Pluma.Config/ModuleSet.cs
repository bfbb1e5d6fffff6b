using System.Collections.Generic;

namespace Pluma.Config;

/// <summary>
/// The modules switched on for one load, in load order (static modules first, then LoadModule
/// order), and the directive lookup over them. Later modules win a name clash, as httpd's
/// most-recently-added-first module chain does.
/// </summary>
internal sealed class ModuleSet
{
    private readonly bool[] _loaded;
    private readonly List<ModuleDescriptor> _order = [];
    private Dictionary<string, (ModuleDescriptor Module, DirectiveDefinition Directive)>? _lookup;

    public ModuleSet(ModuleRegistry registry)
    {
        Registry = registry;
        _loaded = new bool[registry.Count];
        foreach (ModuleDescriptor m in registry.Modules)
        {
            if (m.IsStatic)
            {
                Add(m);
            }
        }
    }

    public ModuleRegistry Registry { get; }

    public IReadOnlyList<ModuleDescriptor> Order => _order;

    public bool IsLoaded(ModuleDescriptor module) => _loaded[module.Index];

    public bool Add(ModuleDescriptor module)
    {
        if (_loaded[module.Index])
        {
            return false;
        }

        _loaded[module.Index] = true;
        _order.Add(module);
        _lookup = null;
        return true;
    }

    public bool TryFind(string name, out ModuleDescriptor module, out DirectiveDefinition directive)
    {
        _lookup ??= BuildLookup();
        if (_lookup.TryGetValue(name, out var hit))
        {
            module = hit.Module;
            directive = hit.Directive;
            return true;
        }

        module = null!;
        directive = null!;
        return false;
    }

    private Dictionary<string, (ModuleDescriptor, DirectiveDefinition)> BuildLookup()
    {
        var lookup = new Dictionary<string, (ModuleDescriptor, DirectiveDefinition)>(StringComparer.OrdinalIgnoreCase);
        foreach (ModuleDescriptor m in _order)
        {
            foreach (DirectiveDefinition d in m.Directives)
            {
                lookup[d.Name] = (m, d);
            }
        }

        return lookup;
    }
}
