namespace Pluma.Host;

/// <summary>Dispatches on argv[0] or a subcommand (placeholder until the host lands).</summary>
internal static class PlumaMain
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("pluma: not yet");
        return args.Length == 0 ? 1 : 1;
    }
}
