using System.Collections;
using System.Collections.Generic;
using System.IO;
using Pluma.Admin;

namespace Pluma.Host;

/// <summary>
/// Debian's envvars: a shell fragment that apache2ctl sources before starting apache2. Pluma
/// sources it too when started directly (the variables are missing), so `pluma` and `make run`
/// behave as `apachectl start` would. The sourcing itself is apachectl's (Pluma.Admin.EnvVars).
/// </summary>
internal static class EnvVarsFile
{
    /// <summary>Imports what <c>ServerRoot/envvars</c> sets and unsets, unless apachectl already did.</summary>
    public static void ImportIfNeeded(string serverRoot)
    {
        string file = Environment.GetEnvironmentVariable("APACHE_ENVVARS") ?? Path.Combine(serverRoot, "envvars");
        if (Environment.GetEnvironmentVariable("APACHE_RUN_DIR") is not null || !File.Exists(file))
        {
            return;
        }

        var start = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            start[(string)e.Key] = (string?)e.Value ?? "";
        }

        start["APACHE_CONFDIR"] = serverRoot;
        Dictionary<string, string>? after = EnvVars.Source(file, start);
        if (after is null)
        {
            return;
        }

        foreach (string name in start.Keys)
        {
            if (!after.ContainsKey(name))
            {
                // Debian's envvars ends with "unset HOME".
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        foreach (var (name, value) in after)
        {
            if (name is not ("_" or "SHLVL" or "PWD"))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
