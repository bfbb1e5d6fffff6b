using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Env;

/// <summary>
/// mod_env: SetEnv, UnsetEnv and PassEnv put variables into the request's environment (for
/// %{VAR}e in logs, CGI later) in the fixups phase, so they are not yet there for access control
/// or for SetEnvIf (mod_env.c fixup_env_module).
/// </summary>
public static class EnvModule
{
    public const string Name = "env_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_env.c", () =>
        [
            new DirectiveDefinition("PassEnv", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo, "a list of environment variables to pass to CGI.", PassEnv),
            new DirectiveDefinition("SetEnv", DirectiveArgs.Take12, DirectiveScope.OrFileInfo, "an environment variable name and optional value to pass to CGI.", SetEnv),
            new DirectiveDefinition("UnsetEnv", DirectiveArgs.Iterate, DirectiveScope.OrFileInfo, "a list of variables to remove from the CGI environment.",
                call =>
                {
                    call.GetDirRecord<EnvDirConfig>().Unset(call.Args[0]);
                    return null;
                }),
        ])
        {
            CreateDirConfig = _ => new EnvDirConfig(),
            MergeDirConfig = (b, a) => EnvDirConfig.Merge((EnvDirConfig)b, (EnvDirConfig)a),
        };
        return new HttpModule(descriptor) { Fixups = r => Fixup(r, r.DirConfig.Get<EnvDirConfig>(descriptor)) };
    }

    private static string? SetEnv(DirectiveCall call)
    {
        string name = call.Args[0];
        int eq = name.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            call.AddWarning("AH10032", "Spurious usage of '=' in an environment variable name. '" + call.Directive.Name + " " + name[..eq] + " " + name[(eq + 1)..] + "' expected instead?");
        }

        call.GetDirRecord<EnvDirConfig>().Set(name, call.Args.Count > 1 ? call.Args[1] : string.Empty);
        return null;
    }

    private static string? PassEnv(DirectiveCall call)
    {
        string name = call.Args[0];
        string? value = System.Environment.GetEnvironmentVariable(name);
        if (value is null)
        {
            call.AddWarning("AH01506", "PassEnv variable " + name + " was undefined");
        }
        else
        {
            call.GetDirRecord<EnvDirConfig>().Set(name, value);
        }

        return null;
    }

    private static int Fixup(RequestRecord r, EnvDirConfig? config)
    {
        if (config is null || config.Vars.Count == 0)
        {
            return HookResult.Declined;
        }

        // apr_table_overlay(subprocess_env, vars): a variable already in the environment keeps
        // its value for lookups (apr_table_get finds the first), so SetEnv only adds new names.
        var env = r.Environment;
        foreach (var (name, value) in config.Vars)
        {
            env.TryAdd(name, value);
        }

        return HookResult.Ok;
    }
}
