using System.Collections.Generic;

namespace Pluma.Mpm.Common;

/// <summary>How to start one child: the executable and its arguments (the MPM adds the environment).</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Arguments);
