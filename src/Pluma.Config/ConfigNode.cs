using System.Collections.Generic;

namespace Pluma.Config;

/// <summary>
/// One directive of the read configuration tree (httpd's <c>ap_directive_t</c>): its name as
/// written (sections keep their '&lt;', without the '&gt;'), the rest of the line after ${VAR}
/// substitution, where it was read, and for sections their children. Conditionals, Include,
/// Define, LoadModule and ServerRoot run while reading and leave no node.
/// </summary>
public sealed class ConfigNode
{
    internal ConfigNode(string name, string args, string file, int line)
    {
        Name = name;
        Args = args;
        File = file;
        Line = line;
    }

    public string Name { get; }

    /// <summary>The unsplit arguments; a section's end with its '&gt;'.</summary>
    public string Args { get; }

    public string File { get; }

    public int Line { get; }

    public IReadOnlyList<ConfigNode> Children => ChildList;

    public bool IsSection => Name.Length > 1 && Name[0] == '<';

    internal List<ConfigNode> ChildList { get; } = [];

    public override string ToString() => File + ":" + Line + ": " + Name + " " + Args;
}
