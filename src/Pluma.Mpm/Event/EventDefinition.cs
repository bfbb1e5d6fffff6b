using System.Collections.Generic;
using System.Globalization;
using Pluma.Config;
using Pluma.Mpm.Common;

namespace Pluma.Mpm.Event;

/// <summary>event as the rest of Pluma sees it (server/mpm/event/event.c): module, table, and what differs.</summary>
public sealed class EventDefinition : MpmDefinition
{
    public static EventDefinition Instance { get; } = new();

    private EventDefinition()
    {
        Module = MpmDirectives.Module("mpm_event_module", "event.c", EventDirectives.Table, () => new EventSettings());
    }

    public override string Name => "event";

    public override ModuleDescriptor Module { get; }

    public override MpmSettings CompiledDefaults => new EventSettings();

    internal override ChildBase CreateChild(ChildContext context) => new EventChild(context);

    internal override MpmSettings FromValues(IReadOnlyDictionary<string, string> values) => new EventSettings
    {
        ThreadLimit = ChildSettingsVariable.Int(values, "ThreadLimit"),
        ThreadsPerChild = ChildSettingsVariable.Int(values, "ThreadsPerChild"),
        MinSpareThreads = ChildSettingsVariable.Int(values, "MinSpareThreads"),
        MaxSpareThreads = ChildSettingsVariable.Int(values, "MaxSpareThreads"),
        AsyncRequestWorkerFactor = double.Parse(values["AsyncRequestWorkerFactor"], CultureInfo.InvariantCulture),
    };
}
