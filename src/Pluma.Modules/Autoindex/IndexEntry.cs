namespace Pluma.Modules.Autoindex;

/// <summary>
/// One row of a listing (mod_autoindex's struct ent): the name (directories end with '/'; the
/// parent entry's name is the parent URI and starts with '/'), size (-1 for directories),
/// modification time (null: none), icon, alt text and description.
/// </summary>
public sealed record IndexEntry(string Name, bool IsDirectory, long Size, DateTimeOffset? LastModified)
{
    public string? Icon { get; init; }

    public string? Alt { get; init; }

    public string? Description { get; init; }

    public bool IsParent => Name.StartsWith('/');
}
