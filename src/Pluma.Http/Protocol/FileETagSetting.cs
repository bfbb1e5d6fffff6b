namespace Pluma.Http.Protocol;

/// <summary>
/// One directory's FileETag as Apache keeps it (core.c set_etag_bits): absolute keywords, plus
/// the "+X"/"-X" adjustments that apply on top of what the enclosing directory uses.
/// </summary>
public readonly record struct FileETagSetting(FileETagComponents Bits, FileETagComponents Add, FileETagComponents Remove)
{
    /// <summary>No FileETag directive at this level.</summary>
    public static FileETagSetting Unset => default;

    /// <summary>
    /// The components an ETag is made of (ap_make_etag_ex): the adjustments applied to the bits,
    /// and Apache 2.4's default when the result is still unset.
    /// </summary>
    public FileETagComponents Effective
    {
        get
        {
            FileETagComponents bits = (Bits & ~Remove) | Add;
            return bits == FileETagComponents.Unset ? FileETagComponents.Default : bits;
        }
    }

    /// <summary>
    /// Applies one FileETag directive's arguments to <paramref name="current"/> (the same
    /// section may hold several). On error, <paramref name="error"/> holds Apache's message.
    /// </summary>
    public static bool TryApply(FileETagSetting current, string arguments, out FileETagSetting result, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        FileETagComponents bits = current.Bits, add = current.Add, remove = current.Remove;
        bool first = true, explicitSetting = false;
        result = current;
        foreach (string word in arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            char action = '*';
            string token = word;
            if (token[0] is '+' or '-')
            {
                action = token[0];
                token = token[1..];
            }
            else if (first)
            {
                // The first absolute keyword forgets what was inherited and accumulated.
                bits = add = remove = FileETagComponents.Unset;
                first = false;
            }

            FileETagComponents bit;
            if (token.Equals("None", StringComparison.OrdinalIgnoreCase) || token.Equals("All", StringComparison.OrdinalIgnoreCase))
            {
                if (action != '*')
                {
                    error = "FileETag keyword '" + token + "' cannot be used with '+' or '-'";
                    return false;
                }

                bits = token.Length == 4 ? FileETagComponents.None : FileETagComponents.All;
                explicitSetting = true;
                continue;
            }

            if (token.Equals("Size", StringComparison.OrdinalIgnoreCase))
            {
                bit = FileETagComponents.Size;
            }
            else if (token.Equals("MTime", StringComparison.OrdinalIgnoreCase) || token.Equals("LMTime", StringComparison.OrdinalIgnoreCase) || token.Equals("LastModified", StringComparison.OrdinalIgnoreCase))
            {
                bit = FileETagComponents.MTime;
            }
            else if (token.Equals("INode", StringComparison.OrdinalIgnoreCase))
            {
                bit = FileETagComponents.INode;
            }
            else if (token.Equals("Digest", StringComparison.OrdinalIgnoreCase))
            {
                bit = FileETagComponents.Digest;
            }
            else
            {
                error = "Unknown keyword '" + token + "' for FileETag directive";
                return false;
            }

            switch (action)
            {
                case '+':
                    add |= bit;
                    remove &= ~bit;
                    break;
                case '-':
                    remove |= bit;
                    add &= ~bit;
                    break;
                default:
                    bits |= bit;
                    add = remove = FileETagComponents.Unset;
                    explicitSetting = true;
                    break;
            }
        }

        if (explicitSetting && (bits & FileETagComponents.None) != FileETagComponents.None)
        {
            bits &= ~FileETagComponents.None;
        }

        error = null;
        result = new FileETagSetting(bits, add, remove);
        return true;
    }

    /// <summary>
    /// The setting of a directory inside <paramref name="parent"/> (merge_core_dir_configs):
    /// an absolute setting replaces the parent's, adjustments are folded into it.
    /// </summary>
    public static FileETagSetting Merge(FileETagSetting parent, FileETagSetting child)
    {
        if (child.Bits != FileETagComponents.Unset)
        {
            return child;
        }

        FileETagComponents add = (parent.Add & ~child.Remove) | child.Add;
        FileETagComponents remove = (parent.Remove & ~child.Add) | child.Remove;
        FileETagComponents bits = (parent.Bits & ~remove) | add;
        return new FileETagSetting(bits, add, remove);
    }
}
