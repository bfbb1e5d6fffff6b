using System.Collections.Generic;

namespace Pluma.Modules.Autoindex;

/// <summary>The listing order: column (N name, M last modified, S size, D description) and direction (A or D), and dsortf's comparison.</summary>
public readonly record struct IndexSort(char Key, char Direction)
{
    public static readonly IndexSort Default = new('N', 'A');

    public bool Ascending => Direction == 'A';

    /// <summary>Reads "C=S;O=D" (also with '&amp;'); unknown values keep the default, as Apache does.</summary>
    public static IndexSort Parse(string? query, IndexSort fallback)
    {
        if (string.IsNullOrEmpty(query))
        {
            return fallback;
        }

        char key = fallback.Key, dir = fallback.Direction;
        foreach (string part in query.Split(';', '&'))
        {
            if (part.Length == 3 && part[1] == '=')
            {
                if (part[0] == 'C' && part[2] is 'N' or 'M' or 'S' or 'D')
                {
                    key = part[2];
                }
                else if (part[0] == 'O' && part[2] is 'A' or 'D')
                {
                    dir = part[2];
                }
            }
        }

        return new IndexSort(key, dir);
    }

    /// <summary>
    /// The client's list format (index_directory's "F=" argument): 0 a plain list, 1 fancy, 2 a
    /// table; the last one given wins, anything else is ignored. Returns the options to use and
    /// the digit to carry in the column links (null when none was given).
    /// </summary>
    public static (IndexOptions Options, string? Format) ApplyFormat(string? query, IndexOptions options)
    {
        string? format = null;
        if (string.IsNullOrEmpty(query) || !query.Contains("F=", StringComparison.Ordinal))
        {
            return (options, null);
        }

        foreach (string part in query.Split(';', '&'))
        {
            if (part.Length == 3 && part[0] == 'F' && part[1] == '=')
            {
                switch (part[2])
                {
                    case '0':
                        options &= ~(IndexOptions.FancyIndexing | IndexOptions.HtmlTable);
                        format = "0";
                        break;
                    case '1':
                        options = (options | IndexOptions.FancyIndexing) & ~IndexOptions.HtmlTable;
                        format = "1";
                        break;
                    case '2':
                        options |= IndexOptions.FancyIndexing | IndexOptions.HtmlTable;
                        format = "2";
                        break;
                }
            }
        }

        return (options, format);
    }

    /// <summary>dsortf: the parent first, optionally folders first, then the column, then the name.</summary>
    public Comparison<IndexEntry> Comparer(IndexOptions options)
    {
        IndexSort self = this;
        bool foldersFirst = (options & IndexOptions.FoldersFirst) != 0;
        bool version = (options & IndexOptions.VersionSort) != 0;
        bool ignoreCase = (options & IndexOptions.IgnoreCase) != 0;
        return (e1, e2) =>
        {
            if (e1.IsParent)
            {
                return -1;
            }

            if (e2.IsParent)
            {
                return 1;
            }

            if (foldersFirst && e1.IsDirectory != e2.IsDirectory)
            {
                return e1.IsDirectory ? -1 : 1;
            }

            (IndexEntry c1, IndexEntry c2) = self.Ascending ? (e1, e2) : (e2, e1);
            int result;
            switch (self.Key)
            {
                case 'M':
                    result = Nullable.Compare(c1.LastModified, c2.LastModified);
                    if (result != 0)
                    {
                        return result;
                    }

                    break;
                case 'S':
                    result = c1.Size.CompareTo(c2.Size);
                    if (result != 0)
                    {
                        return result;
                    }

                    break;
                case 'D':
                    result = version ? NaturalCompare(c1.Description ?? string.Empty, c2.Description ?? string.Empty, false)
                        : string.CompareOrdinal(c1.Description ?? string.Empty, c2.Description ?? string.Empty);
                    if (result != 0)
                    {
                        return result;
                    }

                    break;
            }

            if (ignoreCase)
            {
                result = version ? NaturalCompare(c1.Name, c2.Name, true) : string.Compare(c1.Name, c2.Name, StringComparison.OrdinalIgnoreCase);
                if (result != 0)
                {
                    return result;
                }
            }

            return version ? NaturalCompare(c1.Name, c2.Name, false) : string.CompareOrdinal(c1.Name, c2.Name);
        };
    }

    /// <summary>apr_strnatcmp: runs of digits compare by value, everything else by character.</summary>
    public static int NaturalCompare(string a, string b, bool ignoreCase)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && char.IsWhiteSpace(a[i]))
            {
                i++;
            }

            while (j < b.Length && char.IsWhiteSpace(b[j]))
            {
                j++;
            }

            if (i >= a.Length || j >= b.Length)
            {
                return (a.Length - i).CompareTo(b.Length - j) switch { < 0 => -1, > 0 => 1, _ => 0 };
            }

            char ca = a[i], cb = b[j];
            if (char.IsAsciiDigit(ca) && char.IsAsciiDigit(cb))
            {
                int si = i, sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }

                ReadOnlySpan<char> na = a.AsSpan(si, i - si).TrimStart('0');
                ReadOnlySpan<char> nb = b.AsSpan(sj, j - sj).TrimStart('0');
                if (na.Length != nb.Length)
                {
                    return na.Length < nb.Length ? -1 : 1;
                }

                int c = na.SequenceCompareTo(nb);
                if (c != 0)
                {
                    return c < 0 ? -1 : 1;
                }

                continue;
            }

            if (ignoreCase)
            {
                ca = char.ToUpperInvariant(ca);
                cb = char.ToUpperInvariant(cb);
            }

            if (ca != cb)
            {
                return ca < cb ? -1 : 1;
            }

            i++;
            j++;
        }
    }

    /// <summary>Sorts in place (a stable order for equal keys comes from the name fallback).</summary>
    public void Sort(List<IndexEntry> entries, IndexOptions options) => entries.Sort(Comparer(options));
}
