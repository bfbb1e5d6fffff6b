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
/// matches once the handler has set the response's type. FilterProtocol sets what the harness
/// does to the response's fields for a filter or one of its providers, FilterTrace logs what the
/// harness sees.
/// </summary>
public static class FilterModule
{
    public const string Name = "filter_module";

    private const string ByTypePrefix = "BYTYPE:";

    public static HttpModule Create()
    {
        const DirectiveScope Options = DirectiveScope.OrOptions;
        var descriptor = new ModuleDescriptor(Name, "mod_filter.c", () =>
        [
            new DirectiveDefinition("FilterDeclare", DirectiveArgs.Take12, Options, "filter-name [filter-type]", Declare),
            new DirectiveDefinition("FilterProvider", DirectiveArgs.Take3, Options, "filter-name provider-name match-expression", Provide),
            new DirectiveDefinition("FilterChain", DirectiveArgs.Iterate, Options, "list of filter names with optional [+-=!@]", ChainLink),
            new DirectiveDefinition("FilterTrace", DirectiveArgs.Take2, DirectiveScope.RsrcConf | DirectiveScope.AccessConf, "filter-name debug-level", Trace),
            new DirectiveDefinition("AddOutputFilterByType", DirectiveArgs.Iterate2, DirectiveScope.OrFileInfo,
                "output filter name followed by one or more content-types", AddByType),
            new DirectiveDefinition("FilterProtocol", DirectiveArgs.Take23, Options, "filter-name [provider-name] protocol-args", Protocol),
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

    /// <summary>filter_debug: the level of a filter declared in this section (atoi, so words are 0).</summary>
    private static string? Trace(DirectiveCall call)
    {
        if (!call.GetDirRecord<FilterDirConfig>().Declared.TryGetValue(call.Args[0], out SmartFilter? filter))
        {
            return "Undeclared smart filter " + call.Args[0];
        }

        filter.TraceLevel = Atoi(call.Args[1]);
        return null;
    }

    /// <summary>
    /// filter_protocol: the flags of a filter declared in this section, or of one of its
    /// providers when a provider name comes before them; words are split at ';', ',', space and tab.
    /// </summary>
    private static string? Protocol(DirectiveCall call)
    {
        if (!call.GetDirRecord<FilterDirConfig>().Declared.TryGetValue(call.Args[0], out SmartFilter? filter))
        {
            return "FilterProtocol: No such filter";
        }

        FilterProvider? provider = null;
        string words = call.Args[^1];
        if (call.Args.Count == 3)
        {
            provider = filter.Providers.Find(p => p.FilterName.Equals(call.Args[1], StringComparison.OrdinalIgnoreCase));
            if (provider is null)
            {
                return "FilterProtocol: No such provider for this filter";
            }
        }

        FilterProtocolFlags flags = FilterProtocolFlags.None;
        foreach (string word in words.Split([';', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            // Apache's order of tests: "change=yes" also reaches the "change=no" test's else-chain.
            if (word.Equals("change=yes", StringComparison.OrdinalIgnoreCase))
            {
                flags |= FilterProtocolFlags.Change | FilterProtocolFlags.ChangeLength;
            }

            if (word.Equals("change=no", StringComparison.OrdinalIgnoreCase))
            {
                flags &= ~(FilterProtocolFlags.Change | FilterProtocolFlags.ChangeLength);
            }
            else if (word.Equals("change=1:1", StringComparison.OrdinalIgnoreCase))
            {
                flags |= FilterProtocolFlags.Change;
            }
            else if (word.Equals("byteranges=no", StringComparison.OrdinalIgnoreCase))
            {
                flags |= FilterProtocolFlags.NoByteRange;
            }
            else if (word.Equals("proxy=no", StringComparison.OrdinalIgnoreCase))
            {
                flags |= FilterProtocolFlags.NoProxy;
            }
            else if (word.Equals("proxy=transform", StringComparison.OrdinalIgnoreCase))
            {
                flags |= FilterProtocolFlags.Transform;
            }
            else if (word.Equals("cache=no", StringComparison.OrdinalIgnoreCase))
            {
                flags |= FilterProtocolFlags.NoCache;
            }
        }

        if (provider is not null)
        {
            provider.ProtocolFlags = flags;
        }
        else
        {
            filter.ProtocolFlags = flags;
        }

        return null;
    }

    /// <summary>C's atoi: optional blanks and sign, then the leading digits; 0 when there are none.</summary>
    private static int Atoi(string text)
    {
        ReadOnlySpan<char> s = text.AsSpan().TrimStart(" \t\n\v\f\r");
        bool negative = s.Length > 0 && s[0] == '-';
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            s = s[1..];
        }

        long value = 0;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c) || value > int.MaxValue)
            {
                break;
            }

            value = (value * 10) + (c - '0');
        }

        return (int)Math.Clamp(negative ? -value : value, int.MinValue, int.MaxValue);
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

    /// <summary>
    /// filter_insert: one harness per name on the chain; a name nothing declared is left out with
    /// AH01380. The first filter whose own FilterProtocol says byteranges=no or change=yes hides
    /// the request's Range from the handler; a provider without byteranges=no gives it back
    /// (filter_lookup), so ranges apply to what the filters make.
    /// </summary>
    private static void InsertFilters(RequestRecord r, ModuleDescriptor descriptor)
    {
        FilterDirConfig? conf = r.DirConfig.Get<FilterDirConfig>(descriptor);
        if (conf?.Chain is not { } chain)
        {
            return;
        }

        SavedRange? saved = null;
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

            if (saved is null && (filter.ProtocolFlags & (FilterProtocolFlags.NoByteRange | FilterProtocolFlags.ChangeLength)) != 0)
            {
                saved = SavedRange.TakeFrom(r);
            }
        }

        for (int i = 0; i < chain.Count; i++)
        {
            if (chain[i] is { } name && conf.Declared.TryGetValue(name, out SmartFilter? filter))
            {
                r.Response.AddOutputFilter(FilterHarness.Take(r, filter, saved));
            }
        }
    }
}
