namespace Pluma.Modules.Mime;

/// <summary>Which field of <see cref="MimeExtension"/> an Add*/Remove* directive touches.</summary>
public enum MimeField
{
    Type,
    Charset,
    Encoding,
    Language,
    Handler,
}
