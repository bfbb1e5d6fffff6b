using Pluma.Config;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.ReqTimeout;

/// <summary>
/// mod_reqtimeout: RequestReadTimeout is parsed here into <see cref="ReqTimeoutServerConfig"/>;
/// the host maps it to Pluma.Http's HttpServerOptions (HeaderReadTimeout, BodyReadTimeout),
/// which enforce it on the connection.
/// </summary>
public static class ReqTimeoutModule
{
    public const string Name = "reqtimeout_module";

    public static HttpModule Create()
    {
        var descriptor = new ModuleDescriptor(Name, "mod_reqtimeout.c", () =>
        [
            new DirectiveDefinition("RequestReadTimeout", DirectiveArgs.TakeArgv, DirectiveScope.RsrcConf,
                "Set various timeout parameters for TLS handshake and/or reading request headers and body", Set),
        ])
        {
            CreateServerConfig = () => new ReqTimeoutServerConfig(),
            MergeServerConfig = (b, a) => ReqTimeoutServerConfig.Merge((ReqTimeoutServerConfig)b, (ReqTimeoutServerConfig)a),
        };
        return new HttpModule(descriptor);
    }

    private static string? Set(DirectiveCall call)
    {
        ReqTimeoutServerConfig conf = call.GetServerRecord<ReqTimeoutServerConfig>();
        foreach (string word in call.Args)
        {
            int eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return "Invalid RequestReadTimeout parameter. Parameter must be in the form 'key=value'";
            }

            string key = word[..eq];
            string val = word[(eq + 1)..];
            string? error = RequestReadTimeoutParser.TryParse(val, out RequestReadTimeout stage);
            if (error is null)
            {
                if (key.Equals("header", StringComparison.OrdinalIgnoreCase))
                {
                    conf.Header = stage;
                }
                else if (key.Equals("body", StringComparison.OrdinalIgnoreCase))
                {
                    conf.Body = stage;
                }
                else if (key.Equals("handshake", StringComparison.OrdinalIgnoreCase))
                {
                    conf.Handshake = stage;
                }
                else
                {
                    error = "Unknown RequestReadTimeout parameter";
                }
            }

            if (error is not null)
            {
                return "RequestReadTimeout: " + key + "=" + val + ": " + error;
            }
        }

        return null;
    }
}
