using System.Collections.Generic;
using Pluma.Config;

namespace Pluma.Config.Tests;

/// <summary>Small module descriptors shaped like httpd's core, mime and mpm_event tables.</summary>
internal static class TestModules
{
    public sealed class CoreServer
    {
        public string? DocumentRoot { get; set; }
        public string? ServerName { get; set; }
        public List<string> Listen { get; } = [];
        public bool KeepAlive { get; set; } = true;
    }

    /// <summary>A dir record that remembers which sections were merged into it, in order.</summary>
    public sealed class Trail
    {
        public Trail(List<string> marks) => Marks = marks;

        public List<string> Marks { get; }
    }

    public static ModuleDescriptor Core() => new("core_module", "core.c",
    [
        new DirectiveDefinition("DocumentRoot", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Root directory of the document tree",
            DirectiveBinders.Path<CoreServer>(DirectiveTarget.Server, (c, v) => c.DocumentRoot = v)),
        new DirectiveDefinition("ServerName", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "The hostname and port of the server",
            DirectiveBinders.String<CoreServer>(DirectiveTarget.Server, (c, v) => c.ServerName = v)),
        new DirectiveDefinition("KeepAlive", DirectiveArgs.Flag, DirectiveScope.RsrcConf, "Whether persistent connections should be On or Off",
            DirectiveBinders.Flag<CoreServer>(DirectiveTarget.Server, (c, v) => c.KeepAlive = v)),
        new DirectiveDefinition("Listen", DirectiveArgs.TakeArgv, DirectiveScope.RsrcConf, "A port number or a numeric IP address and a port number, and an optional protocol",
            call =>
            {
                if (call.Args.Count is < 1 or > 2)
                {
                    return "Listen requires 1 or 2 arguments.";
                }

                call.GetServerRecord<CoreServer>().Listen.Add(call.Args[0]);
                return null;
            }) { Restrictions = ContextRestrictions.GlobalOnly },
        new DirectiveDefinition("Mark", DirectiveArgs.Take1, DirectiveScope.Anywhere, "a test mark",
            call =>
            {
                call.GetDirRecord<Trail>().Marks.Add(call.Args[0]);
                return null;
            }),
        DirectiveDefinition.Pending("ErrorLog", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "The filename of the error log"),
        DirectiveDefinition.Pending("Options", DirectiveArgs.RawArgs, DirectiveScope.OrOptions),
        DirectiveDefinition.Pending("AllowOverride", DirectiveArgs.RawArgs, DirectiveScope.AccessConf),
    ])
    {
        IsStatic = true,
        CreateServerConfig = () => new CoreServer(),
        CreateDirConfig = _ => new Trail([]),
        MergeDirConfig = (b, a) => new Trail([.. ((Trail)b).Marks, .. ((Trail)a).Marks]),
    };

    public static ModuleDescriptor Mime() => new("mime_module", "mod_mime.c",
    [
        new DirectiveDefinition("AddType", DirectiveArgs.Iterate2, DirectiveScope.OrFileInfo, "a mime type followed by one or more file extensions",
            call =>
            {
                call.GetDirRecord<List<string>>().Add(call.Args[0] + "=" + call.Args[1]);
                return null;
            }),
        DirectiveDefinition.Pending("TypesConfig", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "the MIME types config file"),
    ])
    {
        CreateDirConfig = _ => new List<string>(),
        MergeDirConfig = (b, a) => new List<string>([.. (List<string>)b, .. (List<string>)a]),
    };

    public static ModuleDescriptor Event() => new("mpm_event_module", "event.c",
    [
        new DirectiveDefinition("MaxRequestWorkers", DirectiveArgs.Take1, DirectiveScope.RsrcConf, "Maximum number of threads alive at the same time",
            _ => null) { Restrictions = ContextRestrictions.GlobalOnly },
    ]);

    public static ModuleDescriptor Version() => new("version_module", "mod_version.c") { IsStatic = true };

    public static ModuleRegistry Registry() => new([Core(), Version(), Mime(), Event()]);
}
