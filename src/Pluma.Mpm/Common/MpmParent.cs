using System.Collections.Generic;
using System.IO;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Common;

/// <summary>
/// The control process of prefork, worker and event (Apache's *_run): it owns the listeners,
/// the scoreboard and the pid file, starts StartServers children (a first batch, then the rest
/// as soon as one serves: MpmParent.StartupOrder.cs), then once a second
/// reaps dead children and runs the MPM's idle-server maintenance; signals only raise flags
/// that this loop acts on. It never serves a request (except in -X mode).
/// </summary>
public sealed partial class MpmParent : IDisposable
{
    private readonly MpmParentOptions _options;
    private readonly IErrorLog _log;
    private readonly AutoResetEvent _wake = new(false);
    private readonly MaintenanceState _maintenance = new();
    private MpmSettings _settings;
    private MpmSettings _first;
    private ChildEntry?[] _children = [];
    /// <summary>worker children that lost their slot to a newer child while finishing requests.</summary>
    private readonly List<ChildEntry> _extra = [];
    private Scoreboard.Scoreboard? _board;
    private int _generation;
    private int _remainingToStart;
    private int _state = MpmQueryAnswer.Starting;
    private int _consecutiveKilled;
    private bool _pidFileWritten;
    private bool _childInitialized;

    // The last reload was refused (PL00102): a graceful restart then changes nothing.
    private bool _reloadRefused;

    public MpmParent(MpmParentOptions options)
    {
        _options = options;
        _log = options.ErrorLog;
        _bucketCount = BucketCountFor(options);
        _settings = options.Settings.AdjustForRun(_bucketCount);
        _maintenance.SetBuckets(_bucketCount);
        _first = _settings;
    }

    /// <summary>The scoreboard (after <see cref="Run"/> has started).</summary>
    public Scoreboard.Scoreboard? Scoreboard => _board;

    /// <summary>The settings of the running generation.</summary>
    public MpmSettings Settings => _settings;

    /// <summary>ap_mpm_query, including the run-time answers.</summary>
    public int Query(MpmQuery query) => query switch
    {
        MpmQuery.Generation => _generation,
        MpmQuery.MpmState => _state,
        MpmQuery.MaxDaemonUsed => HighestUsedSlot() + 1,
        _ => _settings.Query(query),
    };

    private string Module => _settings.ModuleName;

    /// <summary>Runs the server until it stops; returns the process exit code.</summary>
    public int Run()
    {
        CreateScoreboard();
        if (!DuplicateListeners())
        {
            DeleteScoreboard();
            return 1;
        }

        // Handlers before the pid file: apachectl signals the pid it reads there, and a
        // graceful-stop (SIGWINCH) sent before the handler exists would be ignored.
        CreatePods();
        InstallSignals();
        WritePidFile();
        try
        {
            LogResuming();
            if (_options.OneProcess)
            {
                return RunOneProcess();
            }

            StartupChildren(_settings.StartServers);
            _state = MpmQueryAnswer.Running;
            return ServerMainLoop();
        }
        finally
        {
            RemoveSignals();
            _state = MpmQueryAnswer.Stopping;
        }
    }

    public void Dispose()
    {
        DisposePods();
        foreach (ListenerSet copy in _listenerBuckets.AsSpan(Math.Min(1, _listenerBuckets.Length)))
        {
            copy.Dispose();
        }

        _board?.Dispose();
        _wake.Dispose();
    }

    private void CreateScoreboard()
    {
        _board?.Dispose();
        // Sized for the largest shape any MPM gets from Apache's defaults (prefork's 256 slots,
        // the threaded MPMs' ThreadLimit 64) or from this configuration, whichever is more: a
        // graceful restart may change the MPM, and the old generation keeps its slots in this
        // same scoreboard while it drains (ServerLimit and ThreadLimit are fixed for the run).
        int slots = Math.Max(_settings.ServerLimit, MpmDefaults.PreforkServerLimit);
        int threads = Math.Max(_settings.ThreadSlots, MpmDefaults.ThreadLimit);
        _board = global::Pluma.Scoreboard.Scoreboard.Create(_options.ScoreboardPath, slots, threads, _settings.Name);
        _children = new ChildEntry?[slots];
        PublishLimits();
    }

    private void PublishLimits()
    {
        ref GlobalScore g = ref _board!.Global;
        g.MaxDaemons = _settings.MaxDaemons;
        g.ThreadsPerChild = _settings.Threads;
        g.MaxRequestWorkers = _settings.MaxRequestWorkers;
        g.ConfiguredServerLimit = _settings.ServerLimit;
        g.ConfiguredThreadLimit = _settings.ThreadSlots;
        global::Pluma.Scoreboard.Scoreboard.WriteAscii(g.MpmName, _settings.Name);
        Volatile.Write(ref g.RunningGeneration, _generation);
    }

    private void LogResuming()
    {
        // The MPM's run hook (event.c event_run): the notice, the build time at info, then
        // ap_log_command_line's notice and ap_log_mpm_common's debug line.
        _log.Write(LogLevel.Notice, Module, _settings.Definition.ResumingNormalOperations(_options.ServerDescription));
        _log.Write(LogLevel.Info, Module, _settings.Definition.ServerBuilt(_options.ServerBuilt));
        _log.Write(LogLevel.Notice, "core", "AH00094: Command line: '" + _options.CommandLine + "'");
        if (_log.IsEnabled(LogLevel.Debug, "core"))
        {
            // ap_log_mpm_common.
            string reusePort = ListenerBuckets.ReusePortSupported ? "yes" : "no";
            _log.Write(LogLevel.Debug, "core", $"AH02639: Using SO_REUSEPORT: {reusePort} ({_bucketCount})");
        }
    }

    private int ServerMainLoop()
    {
        long nextTick = Environment.TickCount64 + 1000;
        while (true)
        {
            long now = Environment.TickCount64;
            // While a start's children are held, look every millisecond whether the first serve.
            _wake.WaitOne(StartupHeld ? 1 : (int)Math.Clamp(nextTick - now, 0, 1000));
            int action = TakeSignal();
            switch (action)
            {
                case SignalStop:
                    LogSignal(action);
                    return Stop(graceful: false);
                case SignalGracefulStop:
                    LogSignal(action);
                    return Stop(graceful: true);
                case SignalRestart:
                    LogSignal(action);
                    if (!HardRestart())
                    {
                        return Stop(graceful: false, exitCode: 1);
                    }

                    nextTick = Environment.TickCount64 + 1000;
                    continue;
                case SignalGracefulRestart:
                    LogSignal(action);
                    if (!GracefulRestart())
                    {
                        return Stop(graceful: false, exitCode: 1);
                    }

                    continue;
            }

            ReapResult reaped = ReapChildren();
            if (reaped.Fatal)
            {
                return Stop(graceful: false, exitCode: 1);
            }

            if (StartupHeld)
            {
                // No maintenance before the start's own children are all there.
                ReleaseHeldStartups();
                continue;
            }

            now = Environment.TickCount64;
            if (reaped.Any || now < nextTick)
            {
                // Apache skips maintenance on a loop that reaped; it runs on the next quiet pass.
                continue;
            }

            nextTick = now + 1000;
            if (_consecutiveKilled > 0 && !reaped.Killed)
            {
                _consecutiveKilled = 0;
            }

            // The load seen this second, kept for `pluma -k advise` (the scoreboard's global part).
            LoadObserver.Record(_board!, global::Pluma.Scoreboard.Scoreboard.NowMicros());
            if (_remainingToStart > 0)
            {
                StartRemaining();
                continue;
            }

            PerformIdleServerMaintenance();
        }
    }

    private void PerformIdleServerMaintenance()
    {
        foreach ((MaintenanceDecision decision, int? bucket) in _settings.Definition.PerformIdleServerMaintenance(_board!, _settings, _maintenance, _bucketCount))
        {
            Apply(decision, bucket);
        }
    }

    /// <summary>Carries out one decision; <paramref name="bucket"/> is the bucket new children join (null: slot % B).</summary>
    private void Apply(MaintenanceDecision d, int? bucket)
    {
        foreach (MaintenanceMessage m in d.Messages)
        {
            _log.Write(m.Level, Module, m.Text);
        }

        if (d.KillOne)
        {
            if (_log.IsEnabled(LogLevel.Trace5, Module))
            {
                _log.Write(LogLevel.Trace5, Module, $"Shutting down one child: idle {d.IdleCount}, bucket {d.KillBucket}");
            }

            // One byte down the bucket's pipe of death: whichever (idle) child of it reads it first leaves.
            _pods[d.KillBucket].Write((byte)'G');
        }

        foreach (int slot in d.SpawnSlots)
        {
            MakeChild(slot, bucket ?? BucketFor(slot));
        }
    }

    private void WritePidFile()
    {
        string? path = _options.PidFile;
        if (path is null)
        {
            return;
        }

        if (File.Exists(path))
        {
            _log.Write(LogLevel.Warn, "core", $"AH00098: pid file {path} overwritten -- Unclean shutdown of previous Apache run?");
        }

        File.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        _pidFileWritten = true;
    }

    private void RemovePidFile()
    {
        if (!_pidFileWritten || _options.PidFile is null)
        {
            return;
        }

        _pidFileWritten = false;
        try
        {
            File.Delete(_options.PidFile);
            _log.Write(LogLevel.Info, "core", $"AH00096: removed PID file {_options.PidFile} (pid={Environment.ProcessId})");
        }
        catch (IOException)
        {
        }
    }

    private int HighestUsedSlot()
    {
        for (int i = _children.Length - 1; i >= 0; i--)
        {
            if (_children[i] is not null)
            {
                return i;
            }
        }

        return -1;
    }

    private int RunOneProcess()
    {
        _state = MpmQueryAnswer.Running;
        var context = new ChildContext
        {
            Slot = 0,
            Generation = _generation,
            Settings = _settings,
            Board = _board!,
            Listeners = _options.Listeners,
            Pod = _pods[0],
            Bucket = 0,
            Handler = (_options.OneProcessHandler ?? throw new InvalidOperationException("OneProcess needs OneProcessHandler"))(),
            Log = _log,
            OneProcess = true,
        };
        _oneProcess = true;
        int rc = context.Settings.Definition.CreateChild(context).Run();
        _options.Listeners.Close();
        RemovePidFile();
        DeleteScoreboard();
        return rc;
    }

    private void DeleteScoreboard()
    {
        _board?.Dispose();
        _board = null;
        try
        {
            File.Delete(_options.ScoreboardPath);
        }
        catch (IOException)
        {
        }
    }
}
