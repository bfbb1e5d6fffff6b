namespace Pluma.Modules.Mime;

/// <summary>
/// What AddType, AddCharset, AddEncoding, AddLanguage and AddHandler say about one extension
/// (mod_mime's extension_info). Null fields were not set for this extension.
/// </summary>
public sealed record MimeExtension
{
    public string? Type { get; init; }

    public string? Charset { get; init; }

    public string? Encoding { get; init; }

    public string? Language { get; init; }

    public string? Handler { get; init; }

    /// <summary>A field-by-field overlay: the values set in <paramref name="add"/> win (mod_mime's overlay_extension_mappings).</summary>
    public static MimeExtension Overlay(MimeExtension baseInfo, MimeExtension add) => new()
    {
        Type = add.Type ?? baseInfo.Type,
        Charset = add.Charset ?? baseInfo.Charset,
        Encoding = add.Encoding ?? baseInfo.Encoding,
        Language = add.Language ?? baseInfo.Language,
        Handler = add.Handler ?? baseInfo.Handler,
    };
}
