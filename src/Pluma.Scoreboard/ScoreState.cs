namespace Pluma.Scoreboard;

/// <summary>
/// The worker states as stored in the scoreboard (Apache's scoreboard.h SERVER_* values). They
/// are the same numbers as Pluma.Connections' WorkerState; the scoreboard keeps bytes because it
/// knows only the BCL (layer rule), and the MPM casts between the two.
/// </summary>
public static class ScoreState
{
    public const byte Dead = 0;
    public const byte Starting = 1;
    public const byte Ready = 2;
    public const byte BusyRead = 3;
    public const byte BusyWrite = 4;
    public const byte BusyKeepAlive = 5;
    public const byte BusyLog = 6;
    public const byte BusyDns = 7;
    public const byte Closing = 8;
    public const byte Graceful = 9;
    public const byte IdleKill = 10;

    private const string Letters = ".S_RWKLDCGI";

    /// <summary>mod_status's letter for a state (<c>_ S R W K D C L G I .</c>); '?' if unknown.</summary>
    public static char Letter(byte state) => state < Letters.Length ? Letters[state] : '?';
}
