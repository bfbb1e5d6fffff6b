namespace Pluma.Modules.SetEnvIf;

/// <summary>One "var", "var=value" or "!var" word of a SetEnvIf line; <see cref="Value"/> is null for "!var".</summary>
public sealed record SetEnvIfFeature(string Name, string? Value);
