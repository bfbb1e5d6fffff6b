namespace Pluma.Modules.Negotiation;

/// <summary>
/// One item of an Accept, Accept-Language, Accept-Charset or Accept-Encoding field, or of a
/// type map's Content-Type line (mod_negotiation.c's accept_rec): the name in lowercase, its
/// quality (q, or qs in a type map), the HTML level and the charset parameter.
/// </summary>
public readonly record struct AcceptItem(string Name, float Quality, float Level, string Charset);
