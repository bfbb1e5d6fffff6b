using Pluma.Connections.Diagnostics;
using Pluma.Http;
using Pluma.Modules.Hosting;

namespace Pluma.Modules.Negotiation;

/// <summary>
/// mod_negotiation.c's do_negotiation: decides whether the resource is transparently
/// negotiable (a GET or HEAD without path info whose variants are all neighbours without
/// Body: content), reads the Negotiate field, runs the selection, and turns a "list" result
/// into 300 (a TCN client) or 406 with the variant list.
/// </summary>
internal static class Negotiator
{
    /// <summary>Returns OK with the chosen variant, or the error status; <paramref name="headers"/> holds the fields to send either way.</summary>
    public static int Run(RequestRecord r, NegotiationState neg, bool preferScripts, NegotiatedHeaders headers, out Variant? best)
    {
        if (r.Request.MethodNumber is HttpMethod.Get or HttpMethod.Head)
        {
            neg.IsTransparent = string.IsNullOrEmpty(r.PathInfo);
            foreach (Variant v in neg.Variants)
            {
                if (v.FileName.Contains('/', StringComparison.Ordinal) || v.HasBody)
                {
                    neg.IsTransparent = false;
                }
            }
        }

        if (neg.IsTransparent)
        {
            neg.ParseNegotiateHeader(r.Request.Headers["Negotiate"], r.Request.Headers["User-Agent"]);
        }
        else
        {
            neg.MayChoose = true;
        }

        neg.AddDefaultAccepts(preferScripts);
        bool choice = VariantSelection.BestMatch(neg, out best);
        if (!choice)
        {
            neg.SendAlternates = true;
            SetHeaders(neg, headers, choice: false);
            r.Notes[VariantListNote] = NegotiationHeaders.VariantList(neg);
            if (neg.IsTransparent && neg.UaSupportsTrans)
            {
                return 300;
            }

            if (best is null)
            {
                r.Server.ErrorLog.Write(LogLevel.Error, NegotiationModule.LogName, "AH00690: no acceptable variant: " + r.Filename, LogClient.Of(r));
                return 406;
            }
        }

        if (neg.IsTransparent)
        {
            // setup_choice_response: the variant's own sub-request must succeed, and a type map
            // chosen as a transparently negotiated variant would negotiate again.
            if (best!.SubRequest is null)
            {
                best.SubRequest = MultiViews.LookupVariant(r, neg, best, out int status);
                if (best.SubRequest is null)
                {
                    return status;
                }
            }

            if (best.SubRequest.Handler == TypeMapHandler.HandlerName)
            {
                return 506;
            }

            headers.ContentLocation = PathSegment.Escape(best.FileName);
        }

        SetHeaders(neg, headers, choice: true);
        neg.NoCache = !NegotiationModule.CachesNegotiatedDocs(r) && r.Request.ProtocolNumber < 1001 && neg.CountMultiViewsVariants != 1;
        return HookResult.Ok;
    }

    /// <summary>The note Apache's 300 and 406 pages print (r->notes "variant-list").</summary>
    public const string VariantListNote = "variant-list";

    private static void SetHeaders(NegotiationState neg, NegotiatedHeaders headers, bool choice)
    {
        if (neg.SendAlternates)
        {
            headers.Alternates = NegotiationHeaders.Alternates(neg);
        }

        headers.Vary = NegotiationHeaders.Vary(neg);
        if (neg.IsTransparent)
        {
            headers.Tcn = choice ? "choice" : "list";
        }
    }
}
