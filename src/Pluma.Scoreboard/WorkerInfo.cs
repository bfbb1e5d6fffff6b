namespace Pluma.Scoreboard;

/// <summary>A copy of one worker slot, for mod_status's ExtendedStatus table.</summary>
public readonly record struct WorkerInfo(
    int Slot, int Thread, byte Status, int Pid, int Generation,
    long ConnCount, long MyAccessCount, long AccessCount,
    long ConnBytes, long MyBytesServed, long BytesServed,
    long StartTime, long StopTime, long LastUsed, long Duration,
    string Client, string Request, string Vhost, string Protocol)
{
    /// <summary>The scoreboard letter.</summary>
    public char Letter => ScoreState.Letter(Status);
}
