namespace Pluma.Modules.Status;

/// <summary>Which form of server-status a query asks for (Pluma's additions to mod_status's query words).</summary>
public enum StatusView
{
    /// <summary>mod_status's own forms: HTML, ?auto, ?notable.</summary>
    Page,

    /// <summary><c>?json</c> or <c>?view=json</c>: <see cref="StatusJson"/>.</summary>
    Json,

    /// <summary><c>?view=live</c>: the live page (<see cref="Live.LiveView"/>), or one of its files with <c>&amp;asset=NAME</c>.</summary>
    Live,
}

/// <summary>Reads <see cref="StatusView"/> and the live page's asset name from the query string.</summary>
public static class StatusViewQuery
{
    public static (StatusView View, string? Asset) Parse(string? args)
    {
        if (args is null)
        {
            return (StatusView.Page, null);
        }

        string? view = null, asset = null;
        bool json = false;
        foreach (string part in args.Split('&', ';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? part : part[..eq];
            string value = eq < 0 ? string.Empty : part[(eq + 1)..];
            switch (key)
            {
                case "view":
                    view = value;
                    break;
                case "asset":
                    asset = value;
                    break;
                case "json":
                    json = true;
                    break;
            }
        }

        return view switch
        {
            "live" => (StatusView.Live, asset),
            "json" => (StatusView.Json, null),
            _ => (json ? StatusView.Json : StatusView.Page, null),
        };
    }
}
