using Microsoft.AspNetCore.StaticAssets;

namespace ChatApp.Security;

/// <summary>
/// An account created or reset by an admin carries a temporary password: until it is changed, every page
/// leads to the change-password form and no circuit can be opened.
/// </summary>
internal sealed class PasswordChangeGate(RequestDelegate next)
{
    public const string ChangePasswordPath = "/Account/Manage/ChangePassword";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.HasClaim(ChatClaimTypes.MustChangePassword, "true") && !IsAllowed(context))
        {
            if (context.Request.Path.StartsWithSegments("/_blazor"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            {
                context.Response.Redirect($"{ChangePasswordPath}?mustChange=true");
                return Task.CompletedTask;
            }
        }
        return next(context);
    }

    // Static assets are known by their endpoint (MapStaticAssets), not by a dot in the path: /chat/a.b is a page.
    private static bool IsAllowed(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/Account")
        || context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;
}
