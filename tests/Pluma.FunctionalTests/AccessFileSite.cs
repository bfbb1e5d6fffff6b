using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests;

/// <summary>
/// Directories with access files (.htaccess) and the &lt;Directory&gt; sections that allow them,
/// added to a copy of the bundled tree. The same set serves the Pluma-only tests
/// (<see cref="AccessFileTests"/>) and the comparison with Debian's apache2
/// (<see cref="AccessFileDifferentialTests"/>).
/// </summary>
internal static class AccessFileSite
{
    /// <summary>Adds every case under DocumentRoot and its sections to the main configuration.</summary>
    public static void AddTo(TempConfTree tree)
    {
        string conf = "";
        void Case(string dir, string allow, string? accessFile, params (string Name, string Text)[] files)
        {
            string path = Path.Combine(tree.DocumentRoot, dir);
            Directory.CreateDirectory(path);
            Write(Path.Combine(path, "f.txt"), "file in " + dir + "\n");
            foreach (var (name, text) in files)
            {
                Write(Path.Combine(path, name), text);
            }

            if (accessFile is not null)
            {
                Write(Path.Combine(path, ".htaccess"), accessFile);
            }

            if (allow.Length > 0)
            {
                conf += $"<Directory {path}>\n    {allow.Replace("\n", "\n    ", StringComparison.Ordinal)}\n</Directory>\n";
            }
        }

        Case("ht-noindexes", "AllowOverride All", "Options -Indexes\n");
        Case("ht-index", "AllowOverride Indexes", "DirectoryIndex page.txt\n", ("page.txt", "the index page\n"));
        Case("ht-denied", "AllowOverride AuthConfig", "# protected\nRequire all denied\n");
        Case("ht-deny", "AllowOverride Limit", "Order deny,allow\nDeny from all\n");
        Case("ht-errordoc", "AllowOverride FileInfo", "ErrorDocument 404 /ht-errordoc/notfound.html\n", ("notfound.html", "<p>custom 404</p>\n"));
        Case("ht-types", "AllowOverride FileInfo", "AddType text/x-foo .foo\n<Files force.bin>\n    ForceType text/x-forced\n</Files>\n", ("a.foo", "foo\n"), ("force.bin", "forced\n"));
        Case("ht-files", "AllowOverride All", "<FilesMatch \"^secret\">\nRequire all denied\n</FilesMatch>\n", ("secret.txt", "secret\n"));
        Case("ht-nested", "AllowOverride All", "DirectoryIndex page.txt\n", ("page.txt", "outer page\n"));
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "ht-nested", "sub"));
        Write(Path.Combine(tree.DocumentRoot, "ht-nested", "sub", "page.txt"), "inner page\n");
        Case("ht-none", "AllowOverride None", "Require all denied\n");
        Case("ht-list", "AllowOverride None\nAllowOverrideList DirectoryIndex", "DirectoryIndex page.txt\n", ("page.txt", "listed index\n"));
        Case("ht-nonfatal", "AllowOverride FileInfo Nonfatal=All", "Bogus directive\nDirectoryIndex page.txt\nAddType text/x-nonfatal .txt\n", ("page.txt", "never the index\n"));
        Case("ht-optmask", "AllowOverride Options=Indexes,MultiViews", "Options +Indexes\n");

        // Refused: a 500 and the file and reason in the error log.
        Case("ht-invalid", "AllowOverride All", "Foo bar\n");
        Case("ht-notallowed", "AllowOverride FileInfo", "AddType text/plain .x\nRequire all denied\n");
        Case("ht-listonly", "AllowOverrideList DirectoryIndex", "AddType text/x-no .txt\n");
        Case("ht-option", "AllowOverride Options=Indexes", "Options +ExecCGI\n");
        Case("ht-include", "AllowOverride All", "Include /etc/passwd\n");
        Case("ht-unclosed", "AllowOverride All", "<Files f.txt>\nRequire all denied\n");
        Case("ht-args", "AllowOverride All", "ForceType\n");

        // 403: an access file that is no regular file.
        Case("ht-isdir", "AllowOverride All", null);
        Directory.CreateDirectory(Path.Combine(tree.DocumentRoot, "ht-isdir", ".htaccess"));

        tree.AppendToMainConfig(conf);
    }

    private static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DifferentialServers.FileTime);
    }
}
