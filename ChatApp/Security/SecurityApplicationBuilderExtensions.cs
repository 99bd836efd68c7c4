using ChatApp.Chat;
using ChatApp.Security;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class SecurityApplicationBuilderExtensions
{
    /// <summary>
    /// Forwarded headers from the known proxies (so client IPs, the scheme and the origin check see the public
    /// values), security headers and rate limits; first in the pipeline.
    /// </summary>
    public static IApplicationBuilder UseChatSecurityHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ChatOptions>>().Value.ForwardedHeaders.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        app.UseMiddleware<SecurityHeaders>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The origin check and the circuit cap on the Blazor endpoint, the origin check on the row feeds; after authentication.</summary>
    public static IApplicationBuilder UseBlazorConnectionGuards(this IApplicationBuilder app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(BlazorOriginCheck.BlazorPath),
            blazor => blazor.UseMiddleware<BlazorOriginCheck>());
        // The row feeds of big rooms: a WebSocket the circuit's page opens; the same origin rule, Origin always required.
        // A feed only sends, and a quiet room sends nothing: a keep-alive frame every 15 s (as Blazor pings its
        // circuits) keeps proxies and load balancers that cut idle connections after a minute from ending it.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(LiveRowFeed.Path),
            rows => rows.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) }).UseMiddleware<BlazorOriginCheck>());
        // By endpoint, not path: negotiate and the connection itself, however the path is spelled, and a
        // WebSocket opened without negotiating first.
        app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.SignalR.HubMetadata>() is not null,
            connect => connect.UseMiddleware<CircuitCap>());
        return app;
    }

    /// <summary>Sends accounts with a temporary password to the change-password page first.</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) =>
        app.UseMiddleware<PasswordChangeGate>();

    /// <summary>WebSockets only: no long polling or server-sent events fallback for the circuit.</summary>
    public static RazorComponentsEndpointConventionBuilder UseWebSocketsOnly(this RazorComponentsEndpointConventionBuilder builder)
    {
        // .NET 10 has no ConfigureConnection option yet; the hub's dispatcher options are in the endpoint metadata.
        builder.Add(endpoint =>
        {
            foreach (var dispatcher in endpoint.Metadata.OfType<HttpConnectionDispatcherOptions>())
            {
                dispatcher.Transports = HttpTransportType.WebSockets;
            }
        });
        return builder;
    }
}
