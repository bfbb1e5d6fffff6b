using System.Runtime.InteropServices;

namespace Pluma.Modules.AuthnFile;

/// <summary>
/// The system's crypt(3) (Debian's libcrypt1, libxcrypt: DES, $1$, $5$, $6$, $2a$/$2b$/$2y$
/// bcrypt, yescrypt), called through the thread-safe crypt_rn with a private work area per call,
/// as apr_password_validate hands every hash that is not apr1 or {SHA} to crypt_r.
/// </summary>
public static partial class SystemCrypt
{
    // sizeof(struct crypt_data) in libxcrypt's <crypt.h>.
    private const int CryptDataSize = 32768;

    /// <summary>crypt(<paramref name="phrase"/>, <paramref name="setting"/>) as ASCII bytes, or null when crypt refuses the setting.</summary>
    public static unsafe byte[]? Hash(ReadOnlySpan<byte> phrase, string setting)
    {
        // Both are C strings: a phrase with a NUL byte would be cut there by crypt anyway.
        byte[] phraseZ = new byte[phrase.Length + 1];
        phrase.CopyTo(phraseZ);
        byte[] settingZ = new byte[System.Text.Encoding.UTF8.GetByteCount(setting) + 1];
        System.Text.Encoding.UTF8.GetBytes(setting, settingZ);
        void* data = NativeMemory.AllocZeroed(CryptDataSize);
        try
        {
            fixed (byte* p = phraseZ)
            fixed (byte* s = settingZ)
            {
                byte* result = crypt_rn(p, s, data, CryptDataSize);
                if (result == null || result[0] == (byte)'*')
                {
                    return null;
                }

                return MemoryMarshal.CreateReadOnlySpanFromNullTerminated(result).ToArray();
            }
        }
        finally
        {
            // The work area held the phrase: clear it before it goes back to the allocator.
            new Span<byte>(data, CryptDataSize).Clear();
            NativeMemory.Free(data);
            Array.Clear(phraseZ);
        }
    }

    [LibraryImport("libcrypt.so.1")]
    private static unsafe partial byte* crypt_rn(byte* phrase, byte* setting, void* data, int size);
}
