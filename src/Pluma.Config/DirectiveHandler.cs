namespace Pluma.Config;

/// <summary>
/// Applies one directive occurrence to the module's config records. Returns null on success or
/// the error text that follows "Syntax error on line N of FILE:" (httpd's <c>const char *</c> convention).
/// </summary>
public delegate string? DirectiveHandler(DirectiveCall call);
