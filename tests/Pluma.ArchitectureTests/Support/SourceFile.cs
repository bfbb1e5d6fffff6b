using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Pluma.ArchitectureTests.Support;

/// <summary>
/// One shipped C# file as the layer rules see it: the namespace it declares and the Pluma
/// namespaces it uses, by a using directive or by a qualified name in its code.
/// </summary>
internal sealed partial class SourceFile
{
    private SourceFile(string project, string path, string relativePath, string text, string code)
    {
        Project = project;
        Path = path;
        RelativePath = relativePath;
        Text = text;
        Code = code;
        Namespace = NamespaceDeclaration().Match(code) is { Success: true } m ? m.Groups[1].Value : "";
    }

    /// <summary>The src/ project the file belongs to ("Pluma" for the host).</summary>
    public string Project { get; }

    public string Path { get; }

    /// <summary>The path from the repository root, for messages.</summary>
    public string RelativePath { get; }

    /// <summary>The file as written.</summary>
    public string Text { get; }

    /// <summary>The file with comments and literals blanked.</summary>
    public string Code { get; }

    /// <summary>The namespace the file declares ("" if none).</summary>
    public string Namespace { get; }

    /// <summary>The folder of the file inside its project ("" for the project's own folder).</summary>
    public string Folder => System.IO.Path.GetDirectoryName(RelativePath)!
        .Replace('\\', '/')
        .Split('/')
        .Skip(2)
        .Aggregate("", (acc, part) => acc.Length == 0 ? part : acc + "/" + part);

    public static SourceFile Read(string root, string project, string path)
    {
        string text = File.ReadAllText(path);
        string relative = System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
        return new SourceFile(project, path, relative, text, CSharpCode.WithoutCommentsAndLiterals(text));
    }

    /// <summary>
    /// Each Pluma namespace the file's code names, with its line: the target of a using
    /// directive (plain, static or alias) and every qualified name, whether written in full
    /// (<c>Pluma.Modules.Core.CoreModule</c>) or, as C# allows inside a namespace, from a
    /// namespace the file is in (<c>Core.CoreModule</c> in Pluma.Modules.Hosting).
    /// </summary>
    public IEnumerable<(int Line, string Namespace)> PlumaNamespacesUsed()
    {
        foreach (Match m in DottedName().Matches(Code))
        {
            int start = m.Index;
            int lineStart = Code.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
            if (NamespaceKeywordBefore().IsMatch(Code[lineStart..start]))
            {
                continue; // the file's own namespace declaration
            }

            string name = string.Concat(m.Groups[1].Value.Where(c => !char.IsWhiteSpace(c)));
            if (SourceTree.Resolve(Namespace, name) is { } ns)
            {
                yield return (CSharpCode.LineOf(Code, start), ns);
            }
        }
    }

    // "namespace A.B;" or "namespace A.B {"
    [GeneratedRegex(@"^\s*namespace\s+([A-Za-z_][\w.]*)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    // A dotted name (optionally global::), not after another dot or letter: A.B or A.B.C...
    [GeneratedRegex(@"(?<![\w.])(?:global::)?([A-Z]\w*(?:\s*\.\s*[A-Za-z_]\w*)+)")]
    private static partial Regex DottedName();

    [GeneratedRegex(@"^\s*namespace\s+$")]
    private static partial Regex NamespaceKeywordBefore();
}
