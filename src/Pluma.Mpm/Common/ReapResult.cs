namespace Pluma.Mpm.Common;

/// <summary>What one reaping pass found.</summary>
internal readonly record struct ReapResult(bool Any, bool Killed, bool Fatal);
