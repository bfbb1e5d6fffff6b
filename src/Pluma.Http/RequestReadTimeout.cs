namespace Pluma.Http;

/// <summary>
/// One stage of mod_reqtimeout's RequestReadTimeout: the first <see cref="Initial"/> is allowed,
/// and every <see cref="MinRate"/> bytes received extend it by one second, up to
/// <see cref="Maximum"/> in total (zero: no maximum). <see cref="Initial"/> zero disables the stage.
/// </summary>
public readonly record struct RequestReadTimeout(TimeSpan Initial, TimeSpan Maximum, int MinRate);
