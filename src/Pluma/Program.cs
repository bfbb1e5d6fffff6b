namespace Pluma;

/// <summary>The one executable: parent, child and admin tools.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        return Host.PlumaMain.Run(args);
    }
}
