using System.Collections.Generic;

namespace Pluma.Modules.Env;

/// <summary>
/// mod_env's per-directory record (env_dir_config_rec): the variables SetEnv and PassEnv give,
/// and the names UnsetEnv removes from what the enclosing sections gave. Names match without
/// case, as in an apr table.
/// </summary>
public sealed class EnvDirConfig
{
    public static readonly EnvDirConfig Empty = new();

    public List<KeyValuePair<string, string>> Vars { get; } = [];

    public List<string> Unsets { get; } = [];

    public void Set(string name, string value)
    {
        int i = IndexOf(name);
        if (i >= 0)
        {
            Vars[i] = new(Vars[i].Key, value);
        }
        else
        {
            Vars.Add(new(name, value));
        }
    }

    /// <summary>UnsetEnv: forget a variable set earlier in this section, and remove the enclosing sections' one at merge.</summary>
    public void Unset(string name)
    {
        Unsets.Add(name);
        int i = IndexOf(name);
        if (i >= 0)
        {
            Vars.RemoveAt(i);
        }
    }

    /// <summary>merge_env_dir_configs: the parent's variables less the child's UnsetEnv names, then the child's variables.</summary>
    public static EnvDirConfig Merge(EnvDirConfig parent, EnvDirConfig child)
    {
        if (child.Vars.Count == 0 && child.Unsets.Count == 0)
        {
            return parent;
        }

        var merged = new EnvDirConfig();
        merged.Vars.AddRange(parent.Vars);
        foreach (string name in child.Unsets)
        {
            int i = merged.IndexOf(name);
            if (i >= 0)
            {
                merged.Vars.RemoveAt(i);
            }
        }

        foreach (var (name, value) in child.Vars)
        {
            merged.Set(name, value);
        }

        return merged;
    }

    private int IndexOf(string name) => Vars.FindIndex(v => string.Equals(v.Key, name, StringComparison.OrdinalIgnoreCase));
}
