namespace Pluma.Modules.Proxy;

/// <summary>One ProxyPassReverse: a backend URL prefix in Location/Content-Location/URI becomes the local path.</summary>
public sealed record ProxyReverseEntry(string Path, string Url);
