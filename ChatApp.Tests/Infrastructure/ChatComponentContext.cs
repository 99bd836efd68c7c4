using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ChatApp.Security;
using MudBlazor.Services;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Shared bUnit context: MudBlazor services, loose JS interop and a signed-in test user.</summary>
public abstract class ChatComponentContext : BunitContext
{
    protected ChatComponentContext()
    {
        Services.AddMudServices();
        Services.AddSingleton<ChatApp.Chat.MessageHtmlCache>();
        ConfigureServices(Services);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = AddAuthorization();
        // As in a live circuit: interactive components enable their inputs.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>Runs before anything is resolved from the container (bUnit refuses registrations after that).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected void SignIn(string displayName, string userId = "user-1", params string[] roles)
    {
        // Roles before claims: in bUnit 2 setting roles replaces the claims set earlier.
        Auth.SetAuthorized(displayName);
        Auth.SetRoles(roles);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ChatClaimTypes.DisplayName, displayName));
    }
}
