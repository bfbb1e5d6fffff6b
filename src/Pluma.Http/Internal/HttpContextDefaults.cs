namespace Pluma.Http.Internal;

internal static class HttpContextDefaults
{
    /// <summary>LimitRequestBody default since Apache 2.4.54 (was 0, unlimited, before).</summary>
    public const long LimitRequestBody = 1L << 30;
}
