using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Pluma.Connections.Diagnostics;
using Pluma.Scoreboard;
using Pluma.Transport;

namespace Pluma.Mpm.Common;

/// <content>Starting, reaping, restarting and stopping children (make_child and server_main_loop of each MPM; server/mpm_unix.c ap_reclaim_child_processes).</content>
public sealed partial class MpmParent
{
    // Apache's APEXIT_CHILDSICK and APEXIT_CHILDFATAL (httpd.h).
    private const int ExitChildSick = 7;
    private const int ExitChildFatal = 15;

    private void StartRemaining()
    {
        // prefork and worker only use their first MaxDaemons slots; event may use any free one.
        int limit = Math.Min(_settings.Definition.StartsChildrenInAnySlot ? _settings.ServerLimit : _settings.MaxDaemons, _children.Length);
        for (int slot = 0; slot < limit && _remainingToStart > 0; slot++)
        {
            if (_children[slot] is null)
            {
                MakeChild(slot, BucketFor(slot));
                _remainingToStart--;
            }
        }

        // Slots still held by the old generation are filled by normal maintenance later.
        _remainingToStart = 0;
    }

    private void MakeChild(int slot, int bucket)
    {
        Scoreboard.Scoreboard board = _board!;
        // worker may start a child in a slot whose stopping child still finishes requests
        // (Apache's "squatting"): see TakeOverSlot.
        ChildEntry? predecessor = _children[slot];
        if (predecessor is null)
        {
            PrepareFreeSlot(slot, bucket);
        }

        ChildCommand cmd = _options.ChildCommand(slot, _generation);
        var psi = new ProcessStartInfo(cmd.FileName) { UseShellExecute = false };
        foreach (string a in cmd.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment[ChildEnvironment.Slot] = slot.ToString(CultureInfo.InvariantCulture);
        psi.Environment[ChildEnvironment.Generation] = _generation.ToString(CultureInfo.InvariantCulture);
        psi.Environment[ChildEnvironment.Settings] = _settings.ToEnvironmentValue();
        psi.Environment[ChildEnvironment.ScoreboardPath] = _options.ScoreboardPath;
        psi.Environment[ChildEnvironment.Bucket] = bucket.ToString(CultureInfo.InvariantCulture);
        psi.Environment[ChildEnvironment.PipeOfDeath] = _pods[bucket].ReadFd.ToString(CultureInfo.InvariantCulture);
        psi.Environment[ChildEnvironment.Listeners] = _listenerBuckets[bucket].ToEnvironmentValue();
        Process p;
        try
        {
            InheritOnly(bucket);
            p = Process.Start(psi) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            // Apache's AH00159 "fork: Unable to fork new process"; maintenance retries next second.
            _log.Write(LogLevel.Error, Module, "AH00159: fork: Unable to fork new process: " + e.Message);
            if (predecessor is null)
            {
                ResetSlot(slot);
            }

            return;
        }

        p.EnableRaisingEvents = true;
        p.Exited += (_, _) => _wake.Set();
        if (predecessor is not null)
        {
            TakeOverSlot(slot, predecessor, p.Id, bucket);
        }

        ref ProcessScore ps = ref board.Process(slot);
        ps.Pid = p.Id;
        ps.StartTime = global::Pluma.Scoreboard.Scoreboard.NowMicros();
        _children[slot] = new ChildEntry(p, _generation, slot, bucket);
        if (_log.IsEnabled(LogLevel.Debug, Module))
        {
            _log.Write(LogLevel.Debug, Module, $"Child {slot} started: pid {p.Id}, gen {_generation}, active {CountChildren(current: true)}/{_settings.MaxDaemons}, total {CountChildren(current: false)}/{_settings.ServerLimit}");
        }
    }

    /// <summary>Resets the process entry of an empty slot before its child starts.</summary>
    private void PrepareFreeSlot(int slot, int bucket)
    {
        Scoreboard.Scoreboard board = _board!;
        if (_settings.Definition.ParentMarksThreadsStarting)
        {
            // Threads show STARTING before the child runs, so maintenance counts them idle and does
            // not start more children while this one is still loading. (A worker child marks the
            // entries itself as it claims them, like Apache's start thread.)
            for (int t = 0; t < board.ThreadLimit; t++)
            {
                ref WorkerScore w = ref board.Worker(slot, t);
                w.Status = t < _settings.Threads ? ScoreState.Starting : ScoreState.Dead;
                w.Generation = _generation;
            }
        }

        ResetProcessEntry(slot, bucket);
    }

    /// <summary>
    /// worker (make_child's "squatting"): the stopping child of <paramref name="slot"/> cannot
    /// exit before its requests are done, so the new child <paramref name="newPid"/> gets the
    /// slot and the old one is remembered as an extra process: it is reaped (or killed at
    /// shutdown) without touching the slot, and its thread entries pass to the new child one
    /// by one as they die.
    /// </summary>
    private void TakeOverSlot(int slot, ChildEntry predecessor, int newPid, int bucket)
    {
        if (_log.IsEnabled(LogLevel.Debug, Module))
        {
            string quiescing = _board!.Process(slot).Quiescing != 0 ? " (quiescing)" : string.Empty;
            _log.Write(LogLevel.Debug, Module, $"AH00263: pid {newPid} taking over scoreboard slot from {predecessor.Pid}{quiescing}");
        }

        _extra.Add(predecessor);
        // The pid first: from here on the old child sees the entry is no longer its own.
        System.Threading.Volatile.Write(ref _board!.Process(slot).Pid, newPid);
        ResetProcessEntry(slot, bucket);
    }

    private void ResetProcessEntry(int slot, int bucket)
    {
        ref ProcessScore ps = ref _board!.Process(slot);
        ps.Generation = _generation;
        ps.Bucket = bucket;
        ps.Quiescing = 0;
        ps.NotAccepting = 0;
        ps.ListenersClosed = 0;
        ps.Connections = ps.KeepAlive = ps.LingeringClose = ps.WriteCompletion = ps.Queued = 0;
    }

    private int CountChildren(bool current)
    {
        int n = 0;
        foreach (ChildEntry? c in _children)
        {
            if (c is not null && (!current || c.Generation == _generation))
            {
                n++;
            }
        }

        return n;
    }

    private void ResetSlot(int slot)
    {
        Scoreboard.Scoreboard board = _board!;
        ref ProcessScore ps = ref board.Process(slot);
        ps.Pid = 0;
        ps.Quiescing = 0;
        ps.NotAccepting = 0;
        ps.Connections = ps.KeepAlive = ps.LingeringClose = ps.WriteCompletion = 0;
        for (int t = 0; t < board.ThreadLimit; t++)
        {
            // Entries still used by an older child that lost this slot stay with it.
            ref WorkerScore w = ref board.Worker(slot, t);
            if (!IsExtraProcess(slot, w.Pid))
            {
                w.Status = ScoreState.Dead;
            }
        }

        _children[slot] = null;
    }

    private bool IsExtraProcess(int slot, int pid)
    {
        foreach (ChildEntry e in _extra)
        {
            if (e.Slot == slot && e.Pid == pid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reaps the children that lost their slot to a newer one (Apache's extra MPM processes):
    /// the slot belongs to the new child, so only the thread entries the old one left behind
    /// (it was killed, say) are marked dead, for the new child to take.
    /// </summary>
    private bool ReapExtraProcesses()
    {
        bool any = false;
        for (int i = _extra.Count - 1; i >= 0; i--)
        {
            ChildEntry child = _extra[i];
            if (!child.Process.HasExited)
            {
                continue;
            }

            any = true;
            int code = child.Process.ExitCode;
            child.Process.Dispose();
            _extra.RemoveAt(i);
            Scoreboard.Scoreboard board = _board!;
            for (int t = 0; t < board.ThreadLimit; t++)
            {
                ref WorkerScore w = ref board.Worker(child.Slot, t);
                if (w.Pid == child.Pid && w.Status != ScoreState.Dead)
                {
                    w.Status = ScoreState.Dead;
                }
            }

            int signal = code > 128 && code < 128 + 65 ? code - 128 : 0;
            if (signal is not (0 or Sys.SIGTERM or Sys.SIGHUP or Sys.SIGUSR1 or Sys.SIGKILL))
            {
                _log.Write(LogLevel.Notice, "core", $"AH00052: child pid {child.Pid} exit signal {Sys.SignalName(signal)} ({signal})");
            }
            else if (code == ExitChildSick && child.Generation == _generation)
            {
                _maintenance.ResetSpawnRates();
            }
        }

        return any;
    }

    /// <summary>
    /// Whether some child of this run has had all its workers up (ready or busy): until then a
    /// child that exits sick means the server cannot work at all (Apache's AH02324 rule).
    /// </summary>
    private void NoteInitializedChildren()
    {
        if (_childInitialized || _board is null)
        {
            return;
        }

        for (int slot = 0; slot < _children.Length && !_childInitialized; slot++)
        {
            if (_children[slot] is null)
            {
                continue;
            }

            int up = 0;
            for (int t = 0; t < _settings.Threads; t++)
            {
                byte st = System.Threading.Volatile.Read(ref _board.Worker(slot, t).Status);
                if (st >= ScoreState.Ready && st < ScoreState.Graceful)
                {
                    up++;
                }
            }

            _childInitialized = up == _settings.Threads;
        }
    }

    private ReapResult ReapChildren()
    {
        NoteInitializedChildren();
        bool any = ReapExtraProcesses(), killed = false, fatal = false;
        for (int slot = 0; slot < _children.Length; slot++)
        {
            ChildEntry? child = _children[slot];
            if (child is null || !child.Process.HasExited)
            {
                continue;
            }

            any = true;
            int code = child.Process.ExitCode;
            child.Process.Dispose();
            ResetSlot(slot);
            // .NET reports a death by signal N as exit code 128 + N.
            int signal = code > 128 && code < 128 + 65 ? code - 128 : 0;
            if (signal != 0)
            {
                if (signal is not (Sys.SIGTERM or Sys.SIGHUP or Sys.SIGUSR1 or Sys.SIGKILL))
                {
                    _log.Write(LogLevel.Notice, "core", $"AH00052: child pid {child.Pid} exit signal {Sys.SignalName(signal)} ({signal})");
                }

                killed = true;
                if (_settings.Definition.ChildrenKilledSuccessively is { } killedSuccessively && child.Generation == _generation)
                {
                    // event/worker replace a killed child at once, twice in a row; from the third
                    // consecutive death it is left to maintenance, with AH10392/AH10393 every ten.
                    _consecutiveKilled++;
                    if (_consecutiveKilled >= 3 && (_consecutiveKilled - 3) % 10 == 0)
                    {
                        _log.Write(LogLevel.Error, Module, killedSuccessively);
                    }

                    if (_consecutiveKilled < 3)
                    {
                        MakeChild(slot, BucketFor(slot, child));
                        continue;
                    }
                }
            }
            else if (code == ExitChildFatal)
            {
                if (child.Generation == _generation)
                {
                    _log.Write(LogLevel.Alert, Module, $"AH00050: Child {child.Pid} returned a Fatal error... Apache is exiting!");
                    fatal = true;
                }
                else
                {
                    _log.Write(LogLevel.Warn, Module, _settings.Definition.IgnoringFatalErrorOfPreviousGeneration(child.Pid));
                }
            }
            else if (code == ExitChildSick)
            {
                _maintenance.SetSpawnRate(child.Bucket, 1);
                if (!_childInitialized)
                {
                    // Nothing of this run ever served: respawning would loop forever (mpm_common.c).
                    _log.Write(LogLevel.Alert, Module, "AH02324: A resource shortage or other unrecoverable failure was encountered before any child process initialized successfully... pluma is exiting!");
                    fatal = true;
                }
            }

            if (_remainingToStart > 0 && !fatal && slot < (_settings.Definition.StartsChildrenInAnySlot ? _settings.ServerLimit : _settings.MaxDaemons))
            {
                // Graceful restart: new children take the slots the old ones leave, one for one.
                MakeChild(slot, BucketFor(slot, child));
                _remainingToStart--;
            }
        }

        return new ReapResult(any, killed, fatal);
    }

    private bool Reload()
    {
        _reloadRefused = false;
        MpmReloadResult? result = _options.Reload?.Invoke();
        if (result is null)
        {
            return true;
        }

        if (result.Error is not null || result.Settings is null)
        {
            // A refused reload leaves the running generation serving (Pluma's rule).
            _log.Write(LogLevel.Error, "core", "PL00102: configuration reload refused, the running configuration stays in force: " + (result.Error ?? "no settings"));
            _reloadRefused = true;
            return true;
        }

        if (result.Settings.Name != _settings.Name)
        {
            return ChangeMpm(result.Settings);
        }

        MpmConfigCheck check = result.Settings.CheckConfig(startup: false, running: _first);
        foreach (string warning in check.Warnings)
        {
            _log.Write(LogLevel.Warn, Module, warning);
        }

        _settings = check.Settings.AdjustForRun(_bucketCount);
        return true;
    }

    /// <summary>
    /// A restart that loads another MPM (a2dismod mpm_event; a2enmod mpm_prefork): the new
    /// generation runs the new MPM on the same listeners and scoreboard while the old one drains
    /// with its own (each child is a process of its MPM). The new MPM's limits are checked as at
    /// a first start (its ServerLimit and ThreadLimit were never in force); only a shape the
    /// scoreboard has no room for cannot be made, and is refused with AH00534 and the reason,
    /// leaving the running generation serving. Always true: the restart goes on.
    /// </summary>
    private bool ChangeMpm(MpmSettings next)
    {
        MpmConfigCheck check = next.CheckConfig(startup: false);
        MpmSettings s = check.Settings.AdjustForRun(_bucketCount);
        Scoreboard.Scoreboard board = _board!;
        if (s.ServerLimit > board.ServerLimit || s.ThreadSlots > board.ThreadLimit)
        {
            _log.Write(LogLevel.Emerg, "core", "AH00534: pluma: Configuration error: The MPM cannot be changed during restart. " +
                $"(mpm_{s.Name} needs ServerLimit {s.ServerLimit} and ThreadLimit {s.ThreadSlots}; the scoreboard of this run has room for " +
                $"{board.ServerLimit} processes of {board.ThreadLimit} threads; stop and start the server to change it; mpm_{_settings.Name} stays in force)");
            return true;
        }

        foreach (string warning in check.Warnings)
        {
            _log.Write(LogLevel.Warn, s.ModuleName, warning);
        }

        _log.Write(LogLevel.Notice, "core", $"PL00400: changing the MPM from {_settings.Name} to {s.Name}: generation {_generation + 1} runs mpm_{s.Name}, older generations finish their connections with theirs");
        _settings = s;
        _first = s;
        _maintenance.ResetSpawnRates();
        return true;
    }

    private bool GracefulRestart()
    {
        // prefork's children hear SIGUSR1, also when the new generation runs another MPM.
        bool signalChildren = _settings.Definition.SignalsChildrenOnGracefulRestart;
        if (!Reload())
        {
            return false;
        }

        if (_reloadRefused)
        {
            // The running children keep serving: new ones would read the refused files.
            return true;
        }

        signalChildren |= _settings.Definition.SignalsChildrenOnGracefulRestart;
        _generation++;
        ref GlobalScore g = ref _board!.Global;
        g.ConfigGeneration++;
        PublishLimits();
        // Closing the old pipe of death tells every old child (idle or busy) to finish and exit;
        // the listeners stay open in this process, so clients queue in the backlog meanwhile.
        DisposePods();
        CreatePods();
        foreach (ChildEntry? c in _children)
        {
            if (c is not null && signalChildren)
            {
                // prefork: SIGUSR1 also interrupts a busy child so it leaves after this connection.
                _ = Sys.Kill(c.Pid, Sys.SIGUSR1);
            }
        }

        DropHeldStartups();
        _remainingToStart = _settings.StartServers;
        _maintenance.HoldOff = MpmDefaults.HoldOffAfterGracefulRestart;
        LogResuming();
        return true;
    }

    private bool HardRestart()
    {
        DisposePods();
        ReclaimChildProcesses(terminate: true);
        if (!Reload())
        {
            return false;
        }

        _generation++;
        ref GlobalScore g = ref _board!.Global;
        g.ConfigGeneration++;
        g.RestartTime = global::Pluma.Scoreboard.Scoreboard.NowMicros();
        PublishLimits();
        CreatePods();
        _maintenance.ResetSpawnRates();
        LogResuming();
        StartupChildren(_settings.StartServers);
        return true;
    }

    private int Stop(bool graceful, int exitCode = 0)
    {
        _state = MpmQueryAnswer.Stopping;
        if (graceful)
        {
            // Graceful stop refuses new connections at once and removes the pid file at once:
            // the children's copies of the listeners must be closed too before the pid file goes.
            ClosePodWriteEnds();
            CloseAllListeners();
            foreach (ChildEntry? c in _children)
            {
                if (c is not null && _settings.Definition.SignalsChildrenOnGracefulRestart)
                {
                    _ = Sys.Kill(c.Pid, Sys.SIGUSR1);
                }
            }

            WaitForChildrenToCloseListeners(2000);
            RemovePidFile();
            long limit = _settings.GracefulShutdownTimeout > 0 ? Environment.TickCount64 + (_settings.GracefulShutdownTimeout * 1000L) : long.MaxValue;
            while (AnyChildAlive() && Environment.TickCount64 < limit)
            {
                _wake.WaitOne(1000);
                if (TakeSignal() == SignalStop)
                {
                    LogSignal(SignalStop);
                    break;
                }
            }
        }

        DisposePods();
        ReclaimChildProcesses(terminate: true);
        CloseAllListeners();
        RemovePidFile();
        DeleteScoreboard();
        return exitCode;
    }

    private void WaitForChildrenToCloseListeners(int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            bool open = false;
            for (int i = 0; i < _children.Length; i++)
            {
                if (_children[i] is { } c && !c.Process.HasExited && _board!.Process(i).ListenersClosed == 0)
                {
                    open = true;
                    break;
                }
            }

            if (!open)
            {
                return;
            }

            _wake.WaitOne(10);
        }
    }

    private bool AnyChildAlive()
    {
        bool alive = false;
        for (int i = 0; i < _children.Length; i++)
        {
            ChildEntry? c = _children[i];
            if (c is null)
            {
                continue;
            }

            if (c.Process.HasExited)
            {
                c.Process.Dispose();
                _children[i] = null;
                continue;
            }

            alive = true;
        }

        ReapExtraProcesses();
        return alive || _extra.Count > 0;
    }

    /// <summary>
    /// Apache's ap_reclaim_child_processes: SIGTERM at once (not logged), again at 3, 5 and 7 s
    /// (AH00045), SIGKILL at 9 s (AH00046), give up at 10 s (AH00047).
    /// </summary>
    private void ReclaimChildProcesses(bool terminate)
    {
        var pending = new List<ChildEntry>(_extra);
        foreach (ChildEntry c in _extra)
        {
            if (terminate)
            {
                _ = Sys.Kill(c.Pid, Sys.SIGTERM);
            }
        }

        foreach (ChildEntry? c in _children)
        {
            if (c is not null)
            {
                pending.Add(c);
                if (terminate)
                {
                    _ = Sys.Kill(c.Pid, Sys.SIGTERM);
                }
            }
        }

        long start = Environment.TickCount64;
        int[] steps = [3000, 5000, 7000, 9000, 10000];
        int step = 0;
        while (pending.Count > 0)
        {
            pending.RemoveAll(c => c.Process.HasExited);
            if (pending.Count == 0)
            {
                break;
            }

            long elapsed = Environment.TickCount64 - start;
            if (step < steps.Length && elapsed >= steps[step])
            {
                foreach (ChildEntry c in pending)
                {
                    if (step < 3)
                    {
                        _log.Write(LogLevel.Warn, "core", $"AH00045: child process {c.Pid} still did not exit, sending a SIGTERM");
                        _ = Sys.Kill(c.Pid, Sys.SIGTERM);
                    }
                    else if (step == 3)
                    {
                        _log.Write(LogLevel.Error, "core", $"AH00046: child process {c.Pid} still did not exit, sending a SIGKILL");
                        _ = Sys.Kill(c.Pid, Sys.SIGKILL);
                    }
                    else
                    {
                        _log.Write(LogLevel.Error, "core", $"AH00047: could not make child process {c.Pid} exit, attempting to continue anyway");
                    }
                }

                if (step == 4)
                {
                    break;
                }

                step++;
            }

            _wake.WaitOne(50);
        }

        foreach (ChildEntry c in _extra)
        {
            c.Process.Dispose();
        }

        _extra.Clear();
        for (int slot = 0; slot < _children.Length; slot++)
        {
            if (_children[slot] is not null)
            {
                _children[slot]!.Process.Dispose();
                ResetSlot(slot);
            }
        }
    }
}
