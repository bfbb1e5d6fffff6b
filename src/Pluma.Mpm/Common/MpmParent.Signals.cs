using System.Runtime.InteropServices;
using System.Threading;
using Pluma.Connections.Diagnostics;

namespace Pluma.Mpm.Common;

/// <content>Signals (server/mpm_unix.c ap_mpm_set_signals / set_signals of each MPM): the handlers only raise a flag and wake the main loop.</content>
public sealed partial class MpmParent
{
    private const int SignalNone = 0;
    private const int SignalGracefulRestart = 1;
    private const int SignalRestart = 2;
    private const int SignalGracefulStop = 3;
    private const int SignalStop = 4;

    private PosixSignalRegistration?[] _registrations = [];
    private int _pendingSignal;
    private bool _oneProcess;

    private void InstallSignals()
    {
        Sys.UnignoreSignals(Sys.SIGTERM, Sys.SIGINT, Sys.SIGHUP, Sys.SIGUSR1, Sys.SIGWINCH);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Raise(c, SignalStop)),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Raise(c, SignalStop)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => Raise(c, SignalRestart)),
            PosixSignalRegistration.Create((PosixSignal)Sys.SIGUSR1, c => Raise(c, SignalGracefulRestart)),
            PosixSignalRegistration.Create((PosixSignal)Sys.SIGWINCH, c => Raise(c, SignalGracefulStop)),
        ];
    }

    private void RemoveSignals()
    {
        foreach (PosixSignalRegistration? r in _registrations)
        {
            r?.Dispose();
        }

        _registrations = [];
    }

    private void Raise(PosixSignalContext context, int signal)
    {
        context.Cancel = true;
        // The strongest request wins when several arrive within one loop.
        int current;
        do
        {
            current = Volatile.Read(ref _pendingSignal);
            if (current >= signal)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _pendingSignal, signal, current) != current);

        if (_oneProcess)
        {
            // -X: the in-process child hears "stop" as end of stream on its pipe of death.
            ClosePodWriteEnds();
        }

        _wake.Set();
    }

    private int TakeSignal() => Interlocked.Exchange(ref _pendingSignal, SignalNone);

    private void LogSignal(int signal)
    {
        MpmDefinition mpm = _settings.Definition;
        string text = signal switch
        {
            SignalStop => mpm.CaughtSigterm,
            SignalGracefulStop => mpm.CaughtSigwinch,
            SignalRestart => mpm.SighupReceived,
            _ => mpm.Sigusr1Received,
        };
        _log.Write(LogLevel.Notice, Module, text);
    }
}
