using System.Collections.Generic;
using System.IO;
using Pluma.Modules.Alias;
using Pluma.Modules.Authz;
using Pluma.Modules.Autoindex;
using Pluma.Modules.Core;
using Pluma.Modules.Deflate;
using Pluma.Modules.Dir;
using Pluma.Modules.Env;
using Pluma.Modules.Filter;
using Pluma.Modules.Hosting;
using Pluma.Modules.LogConfig;
using Pluma.Modules.Mime;
using Pluma.Modules.Negotiation;
using Pluma.Modules.ReqTimeout;
using Pluma.Modules.SetEnvIf;
using Pluma.Modules.Status;
using Pluma.Modules.Tests.Support;
using Pluma.Testing;

namespace Pluma.Modules.Tests.DebianTree;

public class DebianConfTests
{
    private static HttpModule[] Modules()
    {
        // core first: its descriptor is a static shared by every registry in this process.
        List<HttpModule> all = [new HttpModule(CoreModule.Descriptor), AliasModule.Create(), AccessCompatModule.Create(), AuthzCoreModule.Create(), AuthzCoreModule.CreateHost(),
            AutoindexModule.Create(), DirModule.Create(), LogConfigModule.Create(), MimeModule.Create(), NegotiationModule.Create(), ReqTimeoutModule.Create(), StatusModule.Create(), EnvModule.Create(), SetEnvIfModule.Create(), DeflateModule.Create(), FilterModule.Create()];
        return [.. all];
    }

    public static TheoryData<string> EnabledConfs()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Path.Combine(RepositoryPaths.ConfTree, "mods-available"), "*.conf"))
        {
            string name = Path.GetFileNameWithoutExtension(f);
            if (name is "alias" or "autoindex" or "deflate" or "dir" or "mime" or "negotiation" or "reqtimeout" or "setenvif" or "status")
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnabledConfs))]
    public void DebiansModuleConfLoads(string name)
    {
        string path = Path.Combine(RepositoryPaths.ConfTree, "mods-available", name + ".conf");
        var config = ConfigFixture.LoadWithStatic("Include " + path + "\n", Modules());
        Assert.NotNull(config);
    }
}
