using System.Collections.Generic;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>Runs bin/pluma (the real NativeAOT binary) to completion.</summary>
internal static class Pluma
{
    public static ProcessResult Run(params string[] args) => ProcessRunner.Run(RepositoryPaths.PlumaBinary, args);

    public static ProcessResult Run(IDictionary<string, string?> env, params string[] args) =>
        ProcessRunner.Run(RepositoryPaths.PlumaBinary, args, env);

    /// <summary>Runs pluma on a private copy of the bundled tree.</summary>
    public static ProcessResult OnTree(TempConfTree tree, params string[] args) =>
        ProcessRunner.Run(RepositoryPaths.PlumaBinary, ["-d", tree.ConfDir, .. args]);
}
