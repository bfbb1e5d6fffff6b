using System.IO;
using Xunit;

namespace Pluma.FunctionalTests.RemoteIp;

/// <summary>A test that needs Debian's haproxy: skipped, naming the package, where it is not installed.</summary>
public sealed class HaproxyFactAttribute : FactAttribute
{
    public const string Binary = "/usr/sbin/haproxy";

    public HaproxyFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = $"haproxy is not installed ({Binary} is missing): apt-get install -y haproxy";
        }
    }
}
