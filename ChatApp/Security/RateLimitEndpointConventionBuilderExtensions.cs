using ChatApp.Security;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace Microsoft.AspNetCore.Builder;

public static class RateLimitEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Puts the connect limits on the Blazor hub's own endpoints (negotiate and the connection), so every path
    /// spelling routing sends there (case, trailing slash, percent-encoding) is counted.
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder LimitBlazorConnections(this RazorComponentsEndpointConventionBuilder builder)
    {
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<NegotiateMetadata>().Any())
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(RateLimitPolicies.BlazorNegotiate));
            }
            else if (endpoint.Metadata.OfType<HubMetadata>().Any())
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(RateLimitPolicies.BlazorConnection));
            }
        });
        return builder;
    }
}
