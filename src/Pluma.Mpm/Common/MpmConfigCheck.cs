using System.Collections.Generic;

namespace Pluma.Mpm.Common;

/// <summary>
/// The outcome of an MPM's check_config: the corrected settings and the warnings, in Apache's
/// order, each starting with its AH number. At startup they are the <c>WARNING: ...</c> console
/// texts (printed on stderr without a prefix); on restart the shorter error-log texts
/// (logged at warn by the MPM's module).
/// </summary>
public sealed record MpmConfigCheck(MpmSettings Settings, IReadOnlyList<string> Warnings);
