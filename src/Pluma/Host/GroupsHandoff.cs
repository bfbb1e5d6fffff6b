using System.Globalization;
using Pluma.Modules.Core;

namespace Pluma.Host;

/// <summary>
/// Hands the children the supplementary groups of User that the parent read once for their
/// generation. Each child drops its privileges as mod_unixd does (setgid, the groups, setuid),
/// and initgroups(3) would read the group database again in every exec'd child: with Debian's
/// nsswitch ("group: files systemd") that loads libnss_systemd and probes the userdb
/// directories, about a tenth of a prefork child's start (bench/RESULTS.md, "Start"). The child
/// sets the parent's list with setgroups(2) instead; a restart reads the groups again, as it
/// reads the configuration. A child that finds no list, or one for another user or group,
/// calls initgroups itself.
/// </summary>
internal static class GroupsHandoff
{
    /// <summary>The environment variable: "gid:g1,g2,...:name".</summary>
    public const string Variable = "PLUMA_USER_GROUPS";

    /// <summary>In the parent, as root: reads the groups of this generation's User and Group for the children started from now on.</summary>
    public static void Publish(MainServerSettings main)
    {
        Environment.SetEnvironmentVariable(Variable, null);
        if (!Native.IsRoot || Native.InitgroupsName(main.User, main.UserId) is not string name || Native.GroupList(name, main.GroupId) is not uint[] groups)
        {
            return;
        }

        Environment.SetEnvironmentVariable(Variable, main.GroupId.ToString(CultureInfo.InvariantCulture) + ":" + string.Join(',', groups) + ":" + name);
    }

    /// <summary>In a child: the parent's list when it was read for <paramref name="name"/> and <paramref name="gid"/>, else null; the variable is removed either way.</summary>
    public static uint[]? TakeInChild(string name, uint gid)
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, null);
        string[]? parts = value?.Split(':', 3);
        if (parts is not [string g, string list, string user] || user != name
            || !uint.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out uint parsedGid) || parsedGid != gid)
        {
            return null;
        }

        string[] items = list.Split(',', StringSplitOptions.RemoveEmptyEntries);
        uint[] groups = new uint[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!uint.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out groups[i]))
            {
                return null;
            }
        }

        return groups;
    }
}
