using System.Collections.Generic;
using System.Linq;
using Pluma.Config;
using Pluma.Modules.Alias;
using Pluma.Modules.AllowMethods;
using Pluma.Modules.AuthBasic;
using Pluma.Modules.AuthnCore;
using Pluma.Modules.AuthnFile;
using Pluma.Modules.Authz;
using Pluma.Modules.AuthzGroupfile;
using Pluma.Modules.AuthzUser;
using Pluma.Modules.Autoindex;
using Pluma.Modules.Cgi;
using Pluma.Modules.Dir;
using Pluma.Modules.Env;
using Pluma.Modules.Expires;
using Pluma.Modules.Filter;
using Pluma.Modules.Headers;
using Pluma.Modules.Http2;
using Pluma.Modules.Fault;
using Pluma.Modules.Core;
using Pluma.Modules.Deflate;
using Pluma.Modules.Hosting;
using Pluma.Modules.LogConfig;
using Pluma.Modules.Mime;
using Pluma.Modules.Negotiation;
using Pluma.Modules.Proxy;
using Pluma.Modules.ProxyBalancer;
using Pluma.Modules.ProxyFcgi;
using Pluma.Modules.ProxyHttp;
using Pluma.Modules.RemoteIp;
using Pluma.Modules.ReqTimeout;
using Pluma.Modules.Rewrite;
using Pluma.Modules.SetEnvIf;
using Pluma.Modules.SocacheShmcb;
using Pluma.Modules.Ssl;
using Pluma.Modules.Status;
using Pluma.Modules.VhostAlias;

namespace Pluma.CompiledModules;

/// <summary>
/// Every module compiled into Pluma, in one static list (Apache's ap_prelinked_modules): the
/// static ones first, in the order <c>apache2 -l</c> prints them, then the loadable ones that
/// LoadModule switches on. AOT-friendly: no scanning, no reflection.
/// </summary>
internal static class ModuleCatalog
{
    public static IReadOnlyList<HttpModule> All { get; } =
    [
        new HttpModule(CoreModule.Descriptor),
        new HttpModule(StaticModules.So),
        new HttpModule(StaticModules.Watchdog),
        new HttpModule(StaticModules.Http),
        LogConfigModule.Create(),
        new HttpModule(StaticModules.Logio),
        new HttpModule(StaticModules.Version),
        new HttpModule(StaticModules.Unixd),
        AccessCompatModule.Create(),
        AliasModule.Create(),
        AllowMethodsModule.Create(),
        AuthBasicModule.Create(),
        AuthnCoreModule.Create(),
        AuthnFileModule.Create(),
        AuthzCoreModule.Create(),
        AuthzGroupfileModule.Create(),
        AuthzCoreModule.CreateHost(),
        AuthzUserModule.Create(),
        AutoindexModule.Create(),
        CgiModule.CreateCgi(),
        CgiModule.CreateCgid(),
        DirModule.Create(),
        EnvModule.Create(),
        MimeModule.Create(),
        NegotiationModule.Create(),
        ReqTimeoutModule.Create(),
        SetEnvIfModule.Create(),
        StatusModule.Create(),
        DeflateModule.Create(),
        FilterModule.Create(),
        ExpiresModule.Create(),
        HeadersModule.Create(),
        ProxyModule.Create(),
        ProxyHttpModule.Create(),
        ProxyFcgiModule.Create(),
        ProxyBalancerModule.Create(),
        ProxyBalancerModule.CreateByRequests(),
        ProxyBalancerModule.CreateByBusyness(),
        ProxyBalancerModule.CreateSlotmemShm(),
        RewriteModule.Create(),
        RemoteIpModule.Create(),
        VhostAliasModule.Create(),
        SslModule.Create(),
        Http2Module.Create(),
        new HttpModule(SocacheShmcbModule.Descriptor),

        // Pluma's own diagnostic module: loaded only by an explicit LoadModule (tests, debugging).
        FaultModule.Create(),
        new HttpModule(MpmModules.Event),
        new HttpModule(MpmModules.Worker),
        new HttpModule(MpmModules.Prefork),
    ];

    public static ModuleRegistry Registry { get; } = new(All.Select(m => m.Descriptor));
}
