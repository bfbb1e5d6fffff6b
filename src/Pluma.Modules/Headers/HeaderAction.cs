namespace Pluma.Modules.Headers;

/// <summary>mod_headers' actions (hdr_actions in mod_headers.c).</summary>
public enum HeaderAction
{
    Add,
    Set,
    Append,
    Merge,
    Unset,
    Echo,
    Edit,
    EditAll,
    SetIfEmpty,
    Note,
}
