using Pluma.Mpm.Common;

namespace Pluma.Mpm.Worker;

/// <summary>worker: threads that keep their connection through keep-alive. Apache's compiled defaults.</summary>
public sealed partial record WorkerSettings : ThreadedMpmSettings
{
    /// <summary>Debian's mods-available/mpm_worker.conf on top of the compiled defaults.</summary>
    public static WorkerSettings Debian => DebianPreset(new WorkerSettings());

    public override MpmDefinition Definition => WorkerDefinition.Instance;

    protected override int MaxThreadLimit => MpmDefaults.WorkerMaxThreadLimit;
}
