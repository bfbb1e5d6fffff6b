using System.Net;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Authz;

/// <summary>What the authz providers look at, so evaluation is a pure function (the module adapts a RequestRecord).</summary>
public interface IAuthzRequest
{
    IPAddress ClientAddress { get; }

    IPAddress LocalAddress { get; }

    string Method { get; }

    string? User { get; }

    bool HasEnvironment(string name);

    /// <summary>The request itself, for providers that read its configuration or log (null in pure evaluations).</summary>
    RequestRecord? Record => null;
}
