using Pluma.Connections.Diagnostics;
using Pluma.Transport;

namespace Pluma.Mpm.Common;

/// <content>
/// Listener buckets (ListenCoresBucketsRatio, server/listen.c ap_duplicate_listeners): B copies of every Listen socket
/// (SO_REUSEPORT), one pipe of death per bucket, and every child in exactly one bucket, holding
/// only that bucket's sockets. Maintenance runs per bucket. B is fixed for the life of the
/// parent (Apache keeps it across graceful restarts).
/// </content>
public sealed partial class MpmParent
{
    private readonly int _bucketCount;
    private ListenerSet[] _listenerBuckets = [];
    private InheritablePipe[] _pods = [];

    /// <summary>The listener buckets the children are spread over.</summary>
    public int Buckets => _bucketCount;

    /// <summary>One bucket unless the ratio is set and the listeners could be bound with SO_REUSEPORT (never in -X).</summary>
    private static int BucketCountFor(MpmParentOptions options) =>
        options.OneProcess || !options.Listeners.ReusePort ? 1 : ListenerBuckets.Count(options.Settings.ListenCoresBucketsRatio);

    /// <summary>ap_duplicate_listeners: bucket 0 has the host's sockets, the others copies of them.</summary>
    private bool DuplicateListeners()
    {
        _listenerBuckets = new ListenerSet[_bucketCount];
        _listenerBuckets[0] = _options.Listeners;
        for (int b = 1; b < _bucketCount; b++)
        {
            try
            {
                _listenerBuckets[b] = _options.Listeners.Duplicate(_settings.ListenBacklog);
                foreach (string line in _listenerBuckets[b].Warnings)
                {
                    _log.Write(LogLevel.Warn, "core", line);
                }
            }
            catch (ListenerBindException e)
            {
                foreach (string line in e.Lines)
                {
                    _log.Write(LogLevel.Crit, "core", line);
                }

                _log.Write(LogLevel.Crit, Module, "AH03291: could not duplicate listeners");
                CloseAllListeners();
                return false;
            }
        }

        return true;
    }

    private void CreatePods()
    {
        _pods = new InheritablePipe[_bucketCount];
        for (int b = 0; b < _bucketCount; b++)
        {
            _pods[b] = InheritablePipe.Create();
        }
    }

    private void DisposePods()
    {
        foreach (InheritablePipe pod in _pods)
        {
            pod.Dispose();
        }
    }

    /// <summary>End of stream on every pipe of death: every child of the generation stops gracefully.</summary>
    private void ClosePodWriteEnds()
    {
        foreach (InheritablePipe pod in _pods)
        {
            pod.CloseWriteEnd();
        }
    }

    private void CloseAllListeners()
    {
        _options.Listeners.Close();
        foreach (ListenerSet set in _listenerBuckets)
        {
            set.Close();
        }
    }

    /// <summary>
    /// Makes only <paramref name="bucket"/>'s listeners and pipe of death inheritable, so the
    /// child started next holds nothing of the other buckets (children start one at a time,
    /// from the main loop).
    /// </summary>
    private void InheritOnly(int bucket)
    {
        if (_bucketCount == 1)
        {
            return;
        }

        for (int b = 0; b < _bucketCount; b++)
        {
            _listenerBuckets[b].SetInheritable(b == bucket);
            _pods[b].SetReadEndInheritable(b == bucket);
        }
    }

    /// <summary>
    /// The bucket of a child started in <paramref name="slot"/>: event keeps the bucket of the
    /// child it replaces (its slots are not tied to buckets), worker and prefork use slot % B.
    /// </summary>
    private int BucketFor(int slot, ChildEntry? replaced = null) =>
        _settings.Definition.ReplacementKeepsBucket && replaced is not null ? replaced.Bucket : slot % _bucketCount;
}
