namespace Pluma.Mpm.Common;

/// <summary>
/// The MPM's per-server record while the configuration is read: the MPM's settings record on
/// top of Apache's compiled defaults, updated by each MPM directive as it is met. The host
/// takes the finished, not yet clamped settings from it with <see cref="Complete"/>.
/// </summary>
public interface IMpmDirectiveDraft
{
    /// <summary>
    /// The settings the directives said, with the compiled MaxRequestWorkers when the
    /// configuration did not name it, and the listen.c values the core read
    /// (ListenBacklog, ListenCoresBucketsRatio; null = not said).
    /// </summary>
    MpmSettings Complete(int? listenBacklog, int? listenCoresBucketsRatio);
}

/// <summary>The draft of one MPM's settings record <typeparamref name="T"/>.</summary>
public sealed class MpmDirectiveDraft<T> : IMpmDirectiveDraft
    where T : MpmSettings
{
    public MpmDirectiveDraft(T compiledDefaults) => Settings = compiledDefaults;

    public T Settings { get; set; }

    /// <summary>MaxRequestWorkers (or MaxClients) was said: its compiled default no longer applies.</summary>
    public bool MaxRequestWorkersSaid { get; set; }

    public MpmSettings Complete(int? listenBacklog, int? listenCoresBucketsRatio)
    {
        MpmSettings s = Settings;
        return s with
        {
            MaxRequestWorkers = MaxRequestWorkersSaid ? s.MaxRequestWorkers : s.CompiledMaxRequestWorkers,
            ListenBacklog = listenBacklog ?? s.ListenBacklog,
            ListenCoresBucketsRatio = listenCoresBucketsRatio ?? s.ListenCoresBucketsRatio,
        };
    }
}
