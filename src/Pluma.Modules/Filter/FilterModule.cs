using System.Collections.Generic;
using Pluma.Config;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter: AddOutputFilterByType puts a harness (<see cref="FilterHarness"/>) in the output
/// chain of every request of its directory, in the insert_filter phase; the harness hands the
/// body to the named filter (DEFLATE) when the response's type is one of those listed. The
/// dynamic configuration (FilterDeclare, FilterProvider, FilterChain, FilterProtocol,
/// FilterTrace) is not built yet: those directives stay pending (PL00001).
/// </summary>
public static class FilterModule
{
    public const string Name = "filter_module";

    public static HttpModule Create()
    {
        const DirectiveScope Options = DirectiveScope.OrOptions;
        var descriptor = new ModuleDescriptor(Name, "mod_filter.c",
        [
            DirectiveDefinition.Pending("FilterDeclare", DirectiveArgs.Take12, Options, "filter-name [filter-type]"),
            DirectiveDefinition.Pending("FilterProvider", DirectiveArgs.Take3, Options, "filter-name provider-name match-expression"),
            DirectiveDefinition.Pending("FilterChain", DirectiveArgs.RawArgs, Options, "list of filter names with optional [+-=!@]"),
            DirectiveDefinition.Pending("FilterTrace", DirectiveArgs.Take2, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "filter-name debug-level"),
            new DirectiveDefinition("AddOutputFilterByType", DirectiveArgs.Iterate2, DirectiveScope.OrFileInfo,
                "output filter name followed by one or more content-types", AddByType),
            DirectiveDefinition.Pending("FilterProtocol", DirectiveArgs.Take23, Options, "filter-name [provider-name] protocol-args"),
        ])
        {
            CreateDirConfig = _ => new FilterDirConfig(),
            MergeDirConfig = (b, a) => FilterDirConfig.Merge((FilterDirConfig)b, (FilterDirConfig)a),
        };
        return new HttpModule(descriptor) { InsertFilter = r => InsertFilters(r, descriptor) };
    }

    /// <summary>AddOutputFilterByType DEFLATE text/html text/plain: one pair per type (Iterate2).</summary>
    private static string? AddByType(DirectiveCall call)
    {
        FilterDirConfig conf = call.GetDirRecord<FilterDirConfig>();
        string filters = call.Args[0];
        string type = call.Args[1];
        foreach (string filter in filters.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            conf.ByType.Add((filter, type));
        }

        return null;
    }

    /// <summary>One harness per filter name the directory lists, when a loaded module provides that filter.</summary>
    private static void InsertFilters(RequestRecord r, ModuleDescriptor descriptor)
    {
        FilterDirConfig? conf = r.DirConfig.Get<FilterDirConfig>(descriptor);
        if (conf is null || conf.ByType.Count == 0)
        {
            return;
        }

        List<(string Filter, string Type)> pairs = conf.ByType;
        for (int i = 0; i < pairs.Count; i++)
        {
            string name = pairs[i].Filter;
            if (SeenBefore(pairs, i, name))
            {
                continue;
            }

            HttpModule? provider = r.Runtime.FindOutputFilter(name);
            if (provider?.CreateOutputFilter is null)
            {
                continue; // Apache's ap_add_output_filter also skips a name nobody registered
            }

            r.Response.AddOutputFilter(FilterHarness.Take(r, provider, name, pairs));
        }
    }

    private static bool SeenBefore(List<(string Filter, string Type)> pairs, int index, string name)
    {
        for (int j = 0; j < index; j++)
        {
            if (pairs[j].Filter.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
