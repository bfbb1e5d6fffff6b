using System.IO;

namespace Pluma.Config.Expressions;

/// <summary>
/// What an &lt;If&gt; expression may ask of the request being served. The host implements it
/// over its request; names are as ap_expr spells them: <c>REQUEST_URI</c>, <c>HTTP_HOST</c>,
/// <c>HTTP:Accept</c>, <c>ENV:name</c>.
/// </summary>
public interface IExpressionContext
{
    /// <summary>The variable's value, or null when it has none (compared as "").</summary>
    string? GetVariable(string name);

    bool FileExists(string path) => File.Exists(path);

    bool DirectoryExists(string path) => Directory.Exists(path);
}
