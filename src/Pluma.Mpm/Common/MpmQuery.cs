namespace Pluma.Mpm.Common;

/// <summary>Apache's ap_mpm_query codes (ap_mpm.h AP_MPMQ_*), with their numbers.</summary>
public enum MpmQuery
{
    MaxDaemonUsed = 1,
    IsThreaded = 2,
    IsForked = 3,
    HardLimitDaemons = 4,
    HardLimitThreads = 5,
    MaxThreads = 6,
    MinSpareDaemons = 7,
    MinSpareThreads = 8,
    MaxSpareDaemons = 9,
    MaxSpareThreads = 10,
    MaxRequestsDaemon = 11,
    MaxDaemons = 12,
    MpmState = 13,
    IsAsync = 14,
    Generation = 15,
    HasSerf = 16,
    CanSuspend = 17,
    CanPoll = 18,
}

/// <summary>Answers of <see cref="MpmQuery.IsThreaded"/> / <see cref="MpmQuery.IsForked"/> (AP_MPMQ_NOT_SUPPORTED/STATIC/DYNAMIC).</summary>
public static class MpmQueryAnswer
{
    public const int NotSupported = 0;
    public const int Static = 1;
    public const int Dynamic = 2;

    /// <summary>AP_MPMQ_STARTING / RUNNING / STOPPING for <see cref="MpmQuery.MpmState"/>.</summary>
    public const int Starting = 1;
    public const int Running = 2;
    public const int Stopping = 3;
}
