using System.Security.Claims;
using ChatApp.Chat;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.AspNetCore.Routing;

public static class NotificationEndpoints
{
    /// <summary>
    /// <c>POST /preferences/do-not-disturb</c> (form: until = off, 30m, 1h, tomorrow or custom with at; timeZone; returnUrl)
    /// from the account menu and the status page. Plain forms, so the menu stays markup; form-bound, so antiforgery-checked.
    /// Sets the signed-in user's own do-not-disturb only.
    /// </summary>
    public static IEndpointConventionBuilder MapDoNotDisturb(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/preferences/do-not-disturb", async ([FromForm] string? until, [FromForm] string? at, [FromForm] string? timeZone,
            [FromForm] string? returnUrl, ClaimsPrincipal user, NotificationSettings settings, TimeProvider time) =>
        {
            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone ?? "", out var found) ? found : TimeZoneInfo.Utc;
            var now = time.GetUtcNow().UtcDateTime;
            DateTime? end = until switch
            {
                "off" => null,
                "custom" => NotificationSettings.LocalToUtc(at, zone) is { } custom && custom > now ? custom : DateTime.MinValue,
                _ => NotificationSettings.Until(until, zone, now) ?? DateTime.MinValue,
            };
            if (userId is null || end == DateTime.MinValue)
            {
                return Results.BadRequest();
            }
            await settings.SetDoNotDisturbAsync(userId, end);
            // Only a local path: the form must not become an open redirect.
            var target = returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
                ? returnUrl
                : "/";
            return Results.LocalRedirect(target);
        }).RequireAuthorization();
}
