using System.Net;

namespace Pluma.Modules.Authz;

/// <summary>What the authz providers look at, so evaluation is a pure function (the module adapts a RequestRecord).</summary>
public interface IAuthzRequest
{
    IPAddress ClientAddress { get; }

    IPAddress LocalAddress { get; }

    string Method { get; }

    string? User { get; }

    bool HasEnvironment(string name);
}
