namespace Pluma.Mpm.Common;

/// <summary>
/// What maintenance remembers from one second to the next (part of the MPM's retained
/// data: it survives graceful restarts).
/// </summary>
public sealed class MaintenanceState
{
    // One spawn rate per listener bucket (Apache's idle_spawn_rate[]).
    private int[] _spawnRates = [1];

    /// <summary>Children that may be started this tick (bucket 0); doubles up to 32 while short of idle workers.</summary>
    public int SpawnRate
    {
        get => _spawnRates[0];
        set => _spawnRates[0] = value;
    }

    /// <summary>The listener buckets maintenance keeps a spawn rate for.</summary>
    public int Buckets => _spawnRates.Length;

    /// <summary>Spawning ticks left without doubling (10 after a graceful restart).</summary>
    public int HoldOff { get; set; }

    /// <summary>"server reached ..." (AH00161, AH00286, AH00484) was logged (once per run).</summary>
    public bool MaxWorkersReported { get; set; }

    /// <summary>"server is within MinSpareThreads of ..." (AH00287, AH10159) was logged (once per run).</summary>
    public bool NearMaxWorkersReported { get; set; }

    /// <summary>prefork: the bucket whose pipe of death got the last "stop one child" (round robin).</summary>
    public int LastKillBucket { get; set; } = -1;

    /// <summary>The spawn rate of <paramref name="bucket"/>.</summary>
    public int GetSpawnRate(int bucket) => _spawnRates[bucket];

    public void SetSpawnRate(int bucket, int rate) => _spawnRates[bucket] = rate;

    /// <summary>A resource shortage: every bucket back to one child per tick.</summary>
    public void ResetSpawnRates() => Array.Fill(_spawnRates, 1);

    /// <summary>
    /// Keeps a rate for <paramref name="buckets"/> buckets; added buckets start at the highest
    /// rate so far, so that they fill as fast as the others (event_open_logs, worker_run).
    /// </summary>
    public void SetBuckets(int buckets)
    {
        if (buckets == _spawnRates.Length)
        {
            return;
        }

        int highest = 1;
        foreach (int r in _spawnRates)
        {
            highest = Math.Max(highest, r);
        }

        int[] rates = new int[Math.Max(1, buckets)];
        for (int i = 0; i < rates.Length; i++)
        {
            rates[i] = i < _spawnRates.Length ? _spawnRates[i] : highest;
        }

        _spawnRates = rates;
    }
}
