using System.Collections.Generic;

namespace Pluma.Modules.Dir;

/// <summary>mod_dir's compiled defaults.</summary>
public static class DirDefaults
{
    /// <summary>AP_DEFAULT_INDEX (httpd.h).</summary>
    public static readonly IReadOnlyList<string> IndexNames = ["index.html"];

    /// <summary>What mod_dir and mod_mime call a directory's type and handler (DIR_MAGIC_TYPE).</summary>
    public const string DirectoryHandler = "httpd/unix-directory";
}
