using System.Security.Claims;
using ChatApp.Components.Pages.Chat;

namespace Microsoft.AspNetCore.Routing;

public static class LiveRowsEndpoint
{
    /// <summary>
    /// /live/rows?ticket=…, a WebSocket: attaches the browser's socket to its tab's row feed. The cookie
    /// must be the tab's own sign-in session (checked against the circuit that issued the one-time ticket); the
    /// Origin is checked like the circuit's (UseBlazorConnectionGuards). Anything else is refused before the upgrade.
    /// Browsers open it as a GET upgrade over HTTP/1.1, and over HTTP/2 (where Kestrel offers it: TLS in the app) as
    /// an extended CONNECT on the connection the page came on: Chromium, Edge and Firefox do the latter by default.
    /// </summary>
    public static IEndpointConventionBuilder MapLiveRows(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods(ChatApp.Chat.LiveRowFeed.Path, [HttpMethods.Get, HttpMethods.Connect], async (HttpContext context, ClaimsPrincipal user, LiveRows rows) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest();
            }
            if (rows.Claim(context.Request.Query["ticket"], user) is not { } feed)
            {
                // 403 itself: the cookie handler's Forbid would redirect to the access-denied page.
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await feed.RunAsync(socket, context.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization();
}
