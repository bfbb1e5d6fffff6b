using System.Reflection;

namespace Pluma.Host;

/// <summary>Pluma's name and version as -v, -V, the Server header and mod_status print them.</summary>
internal static class ProductInfo
{
    public const string Product = "Pluma";
    public const string Version = "0.1.0";

    /// <summary>The Apache release whose behaviour Pluma follows (IfVersion, a2query -v).</summary>
    public const string ApacheVersion = "2.4.71";

    /// <summary>Apache 2.4's module magic number: Pluma reads 2.4 configuration.</summary>
    public const string ModuleMagicNumber = "20120211:142";

    /// <summary>Where an installed Pluma keeps its tree (Debian's is /etc/apache2).</summary>
    public const string InstalledServerRoot = "/etc/pluma";

    public static string Built { get; } = ReadBuilt();

    /// <summary>The product token as ServerTokens shapes it (core.c's set_banner).</summary>
    public static string Banner(string? serverTokens) => serverTokens switch
    {
        "Prod" => Product,
        "Major" => Product + "/" + Version.Split('.')[0],
        "Minor" => Product + "/" + string.Join('.', Version.Split('.')[..2]),
        "Minimal" => Product + "/" + Version,
        // OS and Full (the default) add the platform, as Debian's build says "(Debian)".
        _ => Product + "/" + Version + " (Unix)",
    };

    private static string ReadBuilt()
    {
        foreach (AssemblyMetadataAttribute a in typeof(ProductInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (a.Key == "PlumaBuilt" && a.Value is not null)
            {
                return a.Value;
            }
        }

        return "unknown";
    }
}
