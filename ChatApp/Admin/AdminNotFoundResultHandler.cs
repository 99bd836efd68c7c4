using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ChatApp.Admin;

/// <summary>
/// For endpoints that require the Admin role, anyone else (signed in or not) gets 404, exactly like a page that
/// does not exist; all other endpoints keep the usual challenge (log in) and forbid behaviour.
/// </summary>
internal sealed class AdminNotFoundResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var requiresAdmin = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Any(data => data.Roles?.Split(',').Any(role => role.Trim() == Roles.Admin) == true) == true;
        if (requiresAdmin && !authorizeResult.Succeeded)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
