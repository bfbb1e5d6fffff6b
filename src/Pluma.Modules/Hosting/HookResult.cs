namespace Pluma.Modules.Hosting;

/// <summary>
/// What a request hook answers, as Apache's hooks do: <see cref="Declined"/> lets the next module
/// try, <see cref="Ok"/> means handled, <see cref="Done"/> means the response is complete and the
/// remaining phases are skipped; any other value is an HTTP status that ends the request with
/// that error (Apache's ap_die).
/// </summary>
public static class HookResult
{
    /// <summary>Not mine: let the next module run (Apache's DECLINED).</summary>
    public const int Declined = -1;

    /// <summary>Handled (Apache's OK).</summary>
    public const int Ok = 0;

    /// <summary>Handled and the response is finished (Apache's DONE).</summary>
    public const int Done = -2;
}
