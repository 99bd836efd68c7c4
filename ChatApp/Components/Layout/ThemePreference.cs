using Microsoft.AspNetCore.Mvc;

namespace ChatApp.Components.Layout;

/// <summary>Light, dark or the system's choice, remembered in a cookie so static pages render in it too.</summary>
/// <remarks>
/// "System" is read from the <c>Sec-CH-Prefers-Color-Scheme</c> client hint, which Chromium-based browsers send once
/// asked to; elsewhere it falls back to light. The server decides, so no page flashes the other palette first.
/// </remarks>
public static class ThemePreference
{
    public const string CookieName = "ChatApp.Theme";
    public const string ColorSchemeHint = "Sec-CH-Prefers-Color-Scheme";

    public static readonly IReadOnlyList<string> Modes = ["system", "light", "dark"];

    public static string ModeOf(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var mode) && Modes.Contains(mode) ? mode! : "system";

    public static bool IsDark(HttpContext context) => ModeOf(context) switch
    {
        "dark" => true,
        "light" => false,
        _ => context.Request.Headers[ColorSchemeHint].ToString().Trim('"', ' ') == "dark",
    };

    /// <summary>Asks the browser for the colour-scheme hint on every request, and says pages vary by it.</summary>
    public static IApplicationBuilder UseColorSchemeHint(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
            {
                context.Response.Headers["Accept-CH"] = ColorSchemeHint;
                context.Response.Headers["Critical-CH"] = ColorSchemeHint;
                context.Response.Headers.Append("Vary", ColorSchemeHint);
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary><c>POST /preferences/theme</c> (form: mode, returnUrl) from the account menu; a form-bound endpoint, so antiforgery-checked.</summary>
    public static IEndpointConventionBuilder MapThemePreference(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/preferences/theme", ([FromForm] string? mode, [FromForm] string? returnUrl, HttpContext context) =>
        {
            if (mode is null || !Modes.Contains(mode))
            {
                return Results.BadRequest();
            }
            context.Response.Cookies.Append(CookieName, mode, new CookieOptions
            {
                HttpOnly = true,
                Secure = context.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(400),
            });
            // Only a local path: the form must not become an open redirect.
            var target = returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
                ? returnUrl
                : "/";
            return Results.LocalRedirect(target);
        });
}
