using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ChatApp.Security;
using Radzen;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Shared bUnit context: Radzen services, loose JS interop and a signed-in test user.</summary>
public abstract class ChatComponentContext : BunitContext
{
    protected ChatComponentContext()
    {
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = AddAuthorization();
        // As in a live circuit: interactive components enable their inputs.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected BunitAuthorizationContext Auth { get; }

    protected void SignIn(string displayName, string userId = "user-1", params string[] roles)
    {
        Auth.SetAuthorized(displayName);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ChatClaimTypes.DisplayName, displayName));
        Auth.SetRoles(roles);
    }
}
