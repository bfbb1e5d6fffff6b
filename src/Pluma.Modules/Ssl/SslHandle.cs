using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Pluma.Modules.Ssl;

/// <summary>
/// The OpenSSL <c>SSL*</c> under an authenticated SslStream, for the libssl calls of
/// <see cref="OpenSslNative"/>. SslStream keeps it in a private field (on Linux a SafeHandle
/// whose handle is the SSL object); when this .NET has no such field, or libssl cannot be
/// called, <see cref="Available"/> is false and callers keep to what SslStream's public API says.
/// </summary>
internal static class SslHandle
{
    // Named literally so that the NativeAOT compiler keeps the field and its metadata.
    private static readonly FieldInfo? s_context = typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);

    private static readonly Lazy<bool> s_available = new(Probe);

    /// <summary>Whether the SSL object of a stream can be reached and libssl called.</summary>
    public static bool Available => s_available.Value;

    /// <summary>
    /// Runs <paramref name="use"/> on the stream's SSL object, held open meanwhile; returns
    /// <paramref name="fallback"/> when there is none (not authenticated, disposed, unavailable).
    /// </summary>
    public static T With<T>(SslStream stream, Func<nint, T> use, T fallback)
    {
        if (!Available || s_context?.GetValue(stream) is not SafeHandle handle || handle.IsInvalid || handle.IsClosed)
        {
            return fallback;
        }

        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            nint ssl = handle.DangerousGetHandle();
            return ssl == 0 ? fallback : use(ssl);
        }
        catch (ObjectDisposedException)
        {
            return fallback;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static bool Probe()
    {
        if (s_context is null || !typeof(SafeHandle).IsAssignableFrom(s_context.FieldType))
        {
            return false;
        }

        // The library SslStream already loaded, and every function this module calls in it.
        if (!NativeLibrary.TryLoad(OpenSslNative.LibSsl, out nint lib))
        {
            return false;
        }

        foreach (string name in OpenSslNative.Functions)
        {
            if (!NativeLibrary.TryGetExport(lib, name, out _))
            {
                return false;
            }
        }

        return true;
    }
}
