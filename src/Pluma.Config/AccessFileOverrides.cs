using System.Collections.Generic;

namespace Pluma.Config;

/// <summary>
/// What an access file (.htaccess) may say in one directory: httpd's <c>override</c>,
/// <c>override_opts</c> and <c>override_list</c> as ap_directory_walk hands them to
/// ap_parse_htaccess (server/config.c). <see cref="Allowed"/> holds the override classes
/// (AllowOverride AuthConfig, FileInfo, Indexes, Limit, Options); <see cref="OptionsMask"/> the
/// Options a file may switch (AllowOverride Options=...), in the bits of the module that defines
/// Options; <see cref="Listed"/> the directives AllowOverrideList allows whatever the classes say.
/// </summary>
public sealed record AccessFileOverrides(DirectiveScope Allowed, int OptionsMask, IReadOnlyCollection<string>? Listed, bool NonfatalOverride = false, bool NonfatalUnknown = false)
{
    /// <summary>Whether an access file is read at all (ap_directory_walk: override or override_list set).</summary>
    public bool ReadsAccessFile => (Allowed & DirectiveScope.OrAll) != 0 || Listed is { Count: > 0 };

    /// <summary>Whether <paramref name="directive"/> is named by AllowOverrideList (httpd compares names case-insensitively).</summary>
    public bool Lists(string directive)
    {
        if (Listed is null)
        {
            return false;
        }

        foreach (string name in Listed)
        {
            if (name.Equals(directive, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
