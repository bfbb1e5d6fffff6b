using System.Collections.Generic;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Worker;

/// <summary>worker as the rest of Pluma sees it (server/mpm/worker/worker.c): module, table, and what differs.</summary>
public sealed class WorkerDefinition : MpmDefinition
{
    public static WorkerDefinition Instance { get; } = new();

    private WorkerDefinition()
    {
        Module = MpmDirectives.Module("mpm_worker_module", "worker.c", WorkerDirectives.Table, () => new WorkerSettings());
    }

    public override string Name => "worker";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new WorkerSettings();

    internal override ChildBase CreateChild(ChildContext context) => new WorkerChild(context);

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new WorkerSettings
    {
        ThreadLimit = ChildSettingsVariable.Int(values, "ThreadLimit"),
        ThreadsPerChild = ChildSettingsVariable.Int(values, "ThreadsPerChild"),
        MinSpareThreads = ChildSettingsVariable.Int(values, "MinSpareThreads"),
        MaxSpareThreads = ChildSettingsVariable.Int(values, "MaxSpareThreads"),
    };
}
