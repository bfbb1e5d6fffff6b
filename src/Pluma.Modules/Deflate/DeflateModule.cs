using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Deflate;

/// <summary>
/// mod_deflate: registers the DEFLATE output filter (<see cref="DeflateOutputFilter"/>), which
/// mod_filter's AddOutputFilterByType puts in the chain. The directives are Apache's, with its
/// range checks and messages. The input side (inflating request bodies: the DeflateInflate*
/// directives) is not built yet and stays pending (PL00001).
/// </summary>
public static class DeflateModule
{
    public const string Name = "deflate_module";

    /// <summary>The filter's name (deflateFilterName).</summary>
    public const string FilterName = "DEFLATE";

    public static HttpModule Create()
    {
        const DirectiveScope Rsrc = DirectiveScope.RsrcConf;
        ModuleDescriptor? self = null;
        var descriptor = new ModuleDescriptor(Name, "mod_deflate.c", () =>
        [
            new DirectiveDefinition("DeflateFilterNote", DirectiveArgs.Take12, Rsrc, "Set a note to report on compression ratio", SetNote),
            new DirectiveDefinition("DeflateWindowSize", DirectiveArgs.Take1, Rsrc, "Set the Deflate window size (1-15)",
                c => SetRange(c, 1, 15, "DeflateWindowSize must be between 1 and 15", (d, v) => d.WindowSize = v)),
            new DirectiveDefinition("DeflateBufferSize", DirectiveArgs.Take1, Rsrc, "Set the Deflate Buffer Size", SetBufferSize),
            new DirectiveDefinition("DeflateMemLevel", DirectiveArgs.Take1, Rsrc, "Set the Deflate Memory Level (1-9)",
                c => SetRange(c, 1, 9, "DeflateMemLevel must be between 1 and 9", (d, v) => d.MemLevel = v)),
            new DirectiveDefinition("DeflateCompressionLevel", DirectiveArgs.Take1, Rsrc, "Set the Deflate Compression Level (1-9)",
                c => SetRange(c, 1, 9, "Compression Level must be between 1 and 9", (d, v) => d.CompressionLevel = v)),
            DirectiveDefinition.Pending("DeflateInflateLimitRequestBody", DirectiveArgs.Take1, DirectiveScope.OrAll, "Set a limit on size of inflated input"),
            DirectiveDefinition.Pending("DeflateInflateRatioLimit", DirectiveArgs.Take1, DirectiveScope.OrAll,
                "Set the inflation ratio limit above which inflation is aborted"),
            DirectiveDefinition.Pending("DeflateInflateRatioBurst", DirectiveArgs.Take1, DirectiveScope.OrAll,
                "Set the maximum number of following inflation ratios above limit"),
            new DirectiveDefinition("DeflateAlterETag", DirectiveArgs.Take1, Rsrc,
                "Set how mod_deflate should modify ETAG response headers: 'AddSuffix' (default), 'NoChange' (2.2.x behavior), 'Remove'", SetETag),
        ])
        {
            CreateServerConfig = () => new DeflateServerConfig(),
            MergeServerConfig = (b, a) => DeflateServerConfig.Merge((DeflateServerConfig)b, (DeflateServerConfig)a),
        };
        self = descriptor;
        return new HttpModule(descriptor)
        {
            OutputFilterName = FilterName,
            CreateOutputFilter = r => DeflateOutputFilter.Take(r, r.Server.Config.ModuleConfig.Get<DeflateServerConfig>(self) ?? new DeflateServerConfig()),
        };
    }

    /// <summary>deflate_set_note: one name is the ratio's; with two, the first says which (ratio, input, output).</summary>
    private static string? SetNote(DirectiveCall call)
    {
        DeflateServerConfig c = call.GetServerRecord<DeflateServerConfig>();
        if (call.Args.Count == 1)
        {
            c.NoteRatio = call.Args[0];
            return null;
        }

        string kind = call.Args[0];
        string name = call.Args[1];
        if (kind.Equals("ratio", StringComparison.OrdinalIgnoreCase))
        {
            c.NoteRatio = name;
        }
        else if (kind.Equals("input", StringComparison.OrdinalIgnoreCase))
        {
            c.NoteInput = name;
        }
        else if (kind.Equals("output", StringComparison.OrdinalIgnoreCase))
        {
            c.NoteOutput = name;
        }
        else
        {
            return "Unknown note type " + kind;
        }

        return null;
    }

    /// <summary>atoi, then Apache's range check and its message.</summary>
    private static string? SetRange(DirectiveCall call, int min, int max, string error, Action<DeflateServerConfig, int> set)
    {
        int value = DirectiveBinders.CAtoi(call.Args[0]);
        if (value < min || value > max)
        {
            return error;
        }

        set(call.GetServerRecord<DeflateServerConfig>(), value);
        return null;
    }

    private static string? SetBufferSize(DirectiveCall call)
    {
        int value = DirectiveBinders.CAtoi(call.Args[0]);
        if (value <= 0)
        {
            return "DeflateBufferSize should be positive";
        }

        call.GetServerRecord<DeflateServerConfig>().BufferSize = value;
        return null;
    }

    private static string? SetETag(DirectiveCall call)
    {
        string arg = call.Args[0];
        DeflateETagMode? mode = arg.ToUpperInvariant() switch
        {
            "NOCHANGE" => DeflateETagMode.NoChange,
            "ADDSUFFIX" => DeflateETagMode.AddSuffix,
            "REMOVE" => DeflateETagMode.Remove,
            _ => null,
        };
        if (mode is null)
        {
            return "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and 'Remove'";
        }

        call.GetServerRecord<DeflateServerConfig>().ETagMode = mode.Value;
        return null;
    }
}
