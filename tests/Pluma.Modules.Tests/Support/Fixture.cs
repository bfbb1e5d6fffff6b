using System.IO;

namespace Pluma.Modules.Tests.Support;

/// <summary>Reads a captured Apache page from Fixtures/.</summary>
public static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
