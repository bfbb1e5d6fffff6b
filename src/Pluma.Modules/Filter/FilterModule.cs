using System.Collections.Generic;
using Pluma.Config;
using Pluma.Config.Expressions;
using Pluma.Connections.Diagnostics;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Filter;

/// <summary>
/// mod_filter's smart filters. FilterDeclare names one, FilterProvider gives it a real filter
/// (DEFLATE, the one output filter Pluma builds) and an ap_expr saying when that runs,
/// FilterChain puts smart filters on the directory's chain; AddOutputFilterByType is the same
/// machinery with a "BYTYPE:" filter whose providers match media types. In insert_filter each
/// name on the chain adds a <see cref="FilterHarness"/>, which picks the first provider that
/// matches once the handler has set the response's type. FilterProtocol and FilterTrace stay
/// pending (PL00001).
/// </summary>
public static class FilterModule
{
    public const string Name = "filter_module";

    private const string ByTypePrefix = "BYTYPE:";

    public static HttpModule Create()
    {
        const DirectiveScope Options = DirectiveScope.OrOptions;
        var descriptor = new ModuleDescriptor(Name, "mod_filter.c",
        [
            new DirectiveDefinition("FilterDeclare", DirectiveArgs.Take12, Options, "filter-name [filter-type]", Declare),
            new DirectiveDefinition("FilterProvider", DirectiveArgs.Take3, Options, "filter-name provider-name match-expression", Provide),
            new DirectiveDefinition("FilterChain", DirectiveArgs.Iterate, Options, "list of filter names with optional [+-=!@]", ChainLink),
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

    /// <summary>filter_declare: a new smart filter in this section (replacing one of the same name here).</summary>
    private static string? Declare(DirectiveCall call)
    {
        if (call.Args.Count > 1)
        {
            string place = call.Args[1];
            // Apache moves a PROTOCOL, CONNECTION or NETWORK filter behind the HTTP protocol
            // filters; Pluma runs every smart filter on the body, before them.
            if (place.Equals("PROTOCOL", StringComparison.OrdinalIgnoreCase) || place.Equals("CONNECTION", StringComparison.OrdinalIgnoreCase)
                || place.Equals("NETWORK", StringComparison.OrdinalIgnoreCase))
            {
                return "PL00231: FilterDeclare " + call.Args[0] + " " + place + ": Pluma runs smart filters on the body only (RESOURCE, CONTENT_SET), so this type is refused rather than ignored";
            }
        }

        DeclareHere(call.GetDirRecord<FilterDirConfig>(), call.Args[0]);
        return null;
    }

    /// <summary>filter_provider: the provider goes before the ones the filter already has.</summary>
    private static string? Provide(DirectiveCall call)
    {
        if (!ConfigExpression.TryParse(call.Args[2], out ConfigExpression? condition, out string? error))
        {
            return "Error parsing FilterProvider expression:" + error;
        }

        return AddProvider(call, call.Args[0], call.Args[1], condition, null);
    }

    /// <summary>filter_bytype1, once per type: the "BYTYPE:NAME" filter joins the chain the first time this section names it.</summary>
    private static string? AddByType(DirectiveCall call)
    {
        FilterDirConfig conf = call.GetDirRecord<FilterDirConfig>();
        foreach (string provider in call.Args[0].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = ByTypePrefix + provider;
            bool seen = conf.Declared.ContainsKey(name);
            if (AddProvider(call, name, provider, null, call.Args[1]) is { } error)
            {
                return error;
            }

            if (!seen)
            {
                (conf.Chain ??= []).Add(name);
            }
        }

        return null;
    }

    private static string? AddProvider(DirectiveCall call, string filterName, string providerName, ConfigExpression? condition, string? mediaType)
    {
        // ap_get_output_filter_handle: only a filter some loaded module registered can provide.
        if (!providerName.Equals("DEFLATE", StringComparison.OrdinalIgnoreCase) || !call.IsModuleLoaded("deflate_module"))
        {
            return "Unknown filter provider " + providerName;
        }

        FilterDirConfig conf = call.GetDirRecord<FilterDirConfig>();
        if (!conf.Declared.TryGetValue(filterName, out SmartFilter? filter))
        {
            filter = DeclareHere(conf, filterName);
        }

        filter.Providers.Insert(0, new FilterProvider(providerName, condition, mediaType));
        return null;
    }

    private static SmartFilter DeclareHere(FilterDirConfig conf, string name)
    {
        var filter = new SmartFilter(name);
        conf.Declared[name] = filter;
        return filter;
    }

    /// <summary>filter_chain, one word at a time: +name (or name) appends, @name prepends, -name removes, =name restarts with it, ! empties.</summary>
    private static string? ChainLink(DirectiveCall call)
    {
        FilterDirConfig conf = call.GetDirRecord<FilterDirConfig>();
        string word = call.Args[0];
        char op = word.Length > 0 ? word[0] : '\0';
        string name = op is '+' or '@' or '-' or '=' ? word[1..] : word;
        switch (op)
        {
            case '@':
                (conf.Chain ??= []).Insert(0, name);
                break;
            case '-':
                Remove(conf.Chain, name);
                break;
            case '!':
                conf.Chain = [null];
                break;
            case '=':
                conf.Chain = [null, name];
                break;
            default:
                (conf.Chain ??= []).Add(name);
                break;
        }

        return null;
    }

    // As filter_chain's '-': the first link when it has the name, else every later link that has it.
    private static void Remove(List<string?>? chain, string name)
    {
        if (chain is null || chain.Count == 0)
        {
            return;
        }

        if (chain[0] is { } first && first.Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            chain.RemoveAt(0);
            return;
        }

        for (int i = chain.Count - 1; i >= 1; i--)
        {
            if (chain[i] is { } link && link.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                chain.RemoveAt(i);
            }
        }
    }

    /// <summary>filter_insert: one harness per name on the chain; a name nothing declared is left out with AH01380.</summary>
    private static void InsertFilters(RequestRecord r, ModuleDescriptor descriptor)
    {
        FilterDirConfig? conf = r.DirConfig.Get<FilterDirConfig>(descriptor);
        if (conf?.Chain is not { } chain)
        {
            return;
        }

        for (int i = 0; i < chain.Count; i++)
        {
            if (chain[i] is not { } name)
            {
                continue;
            }

            if (!conf.Declared.TryGetValue(name, out SmartFilter? filter))
            {
                r.Server.ErrorLog.Write(LogLevel.Warn, "filter", "AH01380: Unknown filter " + name + " not added", LogClient.Of(r));
                continue;
            }

            r.Response.AddOutputFilter(FilterHarness.Take(r, filter));
        }
    }
}
