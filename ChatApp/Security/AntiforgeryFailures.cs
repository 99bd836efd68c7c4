using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Endpoints;

namespace ChatApp.Security;

/// <summary>
/// A post to one of the account endpoints (sign-out, external sign-in, passkey options) whose antiforgery token
/// failed is answered 400; left alone, the form binder throws and the client gets a 500.
/// </summary>
internal sealed class AntiforgeryFailures(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Razor component pages answer a failed token with their own 400.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
        {
            // A body of its own: re-executed for a status page, the same post would fail validation again and throw.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("The form has expired or was not sent by this site. Reload the page and try again.");
        }
        return next(context);
    }
}
