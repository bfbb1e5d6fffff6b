using System.Collections.Generic;
using Pluma.Config;

namespace Pluma.Modules.Core;

/// <summary>
/// AllowOverride and AllowOverrideList as core.c's set_override, set_allow_opts and
/// set_override_list read them, and the Options check of an access file (set_options against
/// cmd->override_opts).
/// </summary>
public static class AllowOverrideSetting
{
    /// <summary>Every Options bit: what an access file may switch unless AllowOverride Options narrows it (create_core_dir_config).</summary>
    public const CoreOptions EveryOption = CoreOptions.Indexes | CoreOptions.Includes | CoreOptions.FollowSymLinks | CoreOptions.ExecCgi
        | CoreOptions.IncludesNoExec | CoreOptions.SymLinksIfOwnerMatch | CoreOptions.MultiViews;

    /// <summary>httpd's OPT_ALL (core.h): "Options All" and a bare "AllowOverride Options"; neither MultiViews nor SymLinksIfOwnerMatch.</summary>
    public const CoreOptions OptAll = CoreOptions.Indexes | CoreOptions.Includes | CoreOptions.IncludesNoExec | CoreOptions.FollowSymLinks | CoreOptions.ExecCgi;

    /// <summary>AllowOverride None, Apache 2.4's default.</summary>
    public static AccessFileOverrides None { get; } = new(DirectiveScope.None, (int)EveryOption, null);

    /// <summary>set_override: the words of one AllowOverride line, or the error httpd gives.</summary>
    public static string? TryParse(string rawArgs, out AccessFileOverrides result)
    {
        result = None;
        DirectiveScope allowed = DirectiveScope.None;
        CoreOptions options = EveryOption;
        bool nonfatalOverride = false, nonfatalUnknown = false;
        foreach (string word in rawArgs.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = word.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? word : word[..eq];
            string? value = eq < 0 ? null : word[(eq + 1)..];
            switch (key.ToLowerInvariant())
            {
                case "limit" when value is null: allowed |= DirectiveScope.OrLimit; break;
                case "fileinfo" when value is null: allowed |= DirectiveScope.OrFileInfo; break;
                case "authconfig" when value is null: allowed |= DirectiveScope.OrAuthCfg; break;
                case "indexes" when value is null: allowed |= DirectiveScope.OrIndexes; break;
                case "none" when value is null: allowed = DirectiveScope.None; break;
                case "all" when value is null: allowed = DirectiveScope.OrAll; break;
                case "options":
                    allowed |= DirectiveScope.OrOptions;
                    options = value is null ? OptAll : AllowedOptions(value, options);
                    break;
                case "nonfatal" when value is not null:
                    // Any other value is ignored, as set_override ignores it.
                    nonfatalOverride |= value.Equals("Override", StringComparison.OrdinalIgnoreCase) || value.Equals("All", StringComparison.OrdinalIgnoreCase);
                    nonfatalUnknown |= value.Equals("Unknown", StringComparison.OrdinalIgnoreCase) || value.Equals("All", StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    return "Illegal override option " + word;
            }
        }

        result = new AccessFileOverrides(allowed, (int)options, null, nonfatalOverride, nonfatalUnknown);
        return null;
    }

    /// <summary>
    /// The Options an access file's "Options" line needs for <paramref name="option"/> (set_options:
    /// "Includes" is Includes with exec, "All" is OPT_ALL), checked against cmd->override_opts.
    /// </summary>
    public static CoreOptions Required(CoreOptions option) => option == CoreOptions.All ? OptAll : option;

    /// <summary>The names AllowOverrideList gives (set_override_list); null for "None" alone, which leaves the list unset.</summary>
    public static IReadOnlyList<string>? ParseList(IReadOnlyList<string> args) =>
        args.Count == 1 && args[0].Equals("None", StringComparison.OrdinalIgnoreCase) ? null : [.. args];

    // set_allow_opts: a comma-separated list replaces the mask; unknown names are ignored, as
    // set_override ignores set_allow_opts' error.
    private static CoreOptions AllowedOptions(string list, CoreOptions current)
    {
        CoreOptions mask = current;
        bool first = true;
        foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (first)
            {
                mask = CoreOptions.None;
                first = false;
            }

            mask |= name.ToLowerInvariant() switch
            {
                "indexes" => CoreOptions.Indexes,
                "includes" => CoreOptions.Includes | CoreOptions.IncludesNoExec,
                "includesnoexec" => CoreOptions.IncludesNoExec,
                "followsymlinks" => CoreOptions.FollowSymLinks,
                "symlinksifownermatch" => CoreOptions.SymLinksIfOwnerMatch,
                "execcgi" => CoreOptions.ExecCgi,
                "multiviews" => CoreOptions.MultiViews,
                "runscripts" => CoreOptions.MultiViews | CoreOptions.ExecCgi,
                "all" => OptAll,
                _ => CoreOptions.None,
            };
        }

        return mask;
    }
}
