using System.Net;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Authz;

/// <summary><see cref="IAuthzRequest"/> over a <see cref="RequestRecord"/>; one per thread, re-pointed per request.</summary>
public sealed class AuthzRequest : IAuthzRequest
{
    private RequestRecord _r = null!;

    public void Reset(RequestRecord r) => _r = r;

    public IPAddress ClientAddress => _r.Request.RemoteEndPoint.Address;

    public IPAddress LocalAddress => _r.Request.LocalEndPoint.Address;

    public string Method => _r.Request.Method;

    public string? User => _r.User;

    public bool HasEnvironment(string name) => _r.HasEnvironment && _r.Environment.ContainsKey(name);

    public RequestRecord Record => _r;
}
