using System.Collections.Generic;
using Pluma.Modules.Common;

namespace Pluma.Modules.AuthzGroupfile;

/// <summary>
/// An AuthGroupFile, read as mod_authz_groupfile's groups_for_user reads it: "group: user user
/// ..." per line, the group name without its trailing white space, the members as
/// configuration words (quotes allowed). Kept as the groups of each user.
/// </summary>
public sealed class GroupFile
{
    private readonly Dictionary<string, HashSet<string>> _groupsOfUser;

    private GroupFile(Dictionary<string, HashSet<string>> groupsOfUser) => _groupsOfUser = groupsOfUser;

    public static GroupFile Parse(byte[] content)
    {
        var groups = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string line in ConfigFileLines.Read(content))
        {
            string group = ConfigFileLines.GetWord(line, out string members).TrimEnd(' ', '\t', '\r', '\n', '\v', '\f');
            int pos = 0;
            while (ConfigFileLines.GetConfWord(members, ref pos) is { } member)
            {
                if (!groups.TryGetValue(member, out HashSet<string>? set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    groups[member] = set;
                }

                set.Add(group);
            }
        }

        return new GroupFile(groups);
    }

    /// <summary>The groups <paramref name="user"/> is a member of (empty when none).</summary>
    public IReadOnlySet<string> GroupsOf(string user) => _groupsOfUser.TryGetValue(user, out HashSet<string>? set) ? set : s_none;

    private static readonly HashSet<string> s_none = [];
}
