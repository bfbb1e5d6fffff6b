namespace Pluma.Mpm.Common;

/// <summary>The environment variables through which the parent describes a child's job.</summary>
public static class ChildEnvironment
{
    /// <summary>Process slot number; its presence marks a child process.</summary>
    public const string Slot = "PLUMA_MPM_SLOT";
    public const string Generation = "PLUMA_MPM_GENERATION";

    /// <summary>The listener bucket (ListenCoresBucketsRatio); the listeners and pipe of death passed are that bucket's.</summary>
    public const string Bucket = "PLUMA_MPM_BUCKET";
    public const string Settings = "PLUMA_MPM_SETTINGS";
    public const string ScoreboardPath = "PLUMA_SCOREBOARD";
    public const string PipeOfDeath = "PLUMA_POD_FD";
    public const string Listeners = Transport.ListenerSet.EnvironmentVariable;

    /// <summary>Names every variable, so the host can strip them before starting unrelated programs (CGI).</summary>
    public static readonly string[] All = [Slot, Generation, Bucket, Settings, ScoreboardPath, PipeOfDeath, Listeners];
}
