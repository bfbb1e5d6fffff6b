using System.Collections.Generic;

namespace Pluma.Modules.SetEnvIf;

/// <summary>
/// mod_setenvif's record (sei_cfg_rec), used twice: the server's holds the rules written outside
/// any section (run in post_read_request), a directory's the rules of its sections and .htaccess
/// files (run in header_parser). A merge appends the child's rules to the parent's.
/// </summary>
public sealed class SetEnvIfConfig
{
    public static readonly SetEnvIfConfig Empty = new();

    public List<SetEnvIfRule> Rules { get; } = [];

    public static SetEnvIfConfig Merge(SetEnvIfConfig parent, SetEnvIfConfig child)
    {
        if (child.Rules.Count == 0)
        {
            return parent;
        }

        if (parent.Rules.Count == 0)
        {
            return child;
        }

        var merged = new SetEnvIfConfig();
        merged.Rules.AddRange(parent.Rules);
        merged.Rules.AddRange(child.Rules);
        return merged;
    }
}
