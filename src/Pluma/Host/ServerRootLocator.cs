using System.Collections.Generic;
using System.IO;

namespace Pluma.Host;

/// <summary>
/// Where the configuration tree is when -d does not say: the repository's conf/ for a source
/// build (the binary in bin/ or the JIT build under src/), else /etc/pluma.
/// </summary>
internal static class ServerRootLocator
{
    public static string Default()
    {
        foreach (string start in Starts())
        {
            string? dir = start;
            while (dir is not null)
            {
                if (File.Exists(Path.Combine(dir, "Pluma.slnx")) && File.Exists(Path.Combine(dir, "conf", "apache2.conf")))
                {
                    return Path.Combine(dir, "conf");
                }

                dir = Path.GetDirectoryName(dir);
            }
        }

        return ProductInfo.InstalledServerRoot;
    }

    private static IEnumerable<string> Starts()
    {
        if (Environment.ProcessPath is string exe)
        {
            var info = new FileInfo(exe);
            string real = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? exe : exe;
            yield return Path.GetDirectoryName(real)!;
        }

        yield return AppContext.BaseDirectory;
    }
}
