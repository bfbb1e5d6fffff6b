using System.Collections.Generic;
using Pluma.Modules.Common;

namespace Pluma.Modules.AuthnFile;

/// <summary>
/// An AuthUserFile (what htpasswd writes), parsed as mod_authn_file's check_password reads it:
/// "user:hash" per line, the hash ending at the next ':'; the first line of a user counts. A line
/// with no ':' names a user with an empty hash, which no password matches.
/// </summary>
public sealed class PasswordFile
{
    private readonly Dictionary<string, string> _hashes;

    private PasswordFile(Dictionary<string, string> hashes) => _hashes = hashes;

    public static PasswordFile Parse(byte[] content)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in ConfigFileLines.Read(content))
        {
            string user = ConfigFileLines.GetWord(line, out string rest);
            string hash = ConfigFileLines.GetWord(rest, out _);
            hashes.TryAdd(user, hash);
        }

        return new PasswordFile(hashes);
    }

    /// <summary>The stored hash of <paramref name="user"/>, or null when the file does not name it.</summary>
    public string? HashOf(string user) => _hashes.GetValueOrDefault(user);
}
