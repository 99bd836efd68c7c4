using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ChatApp.Security;
using MudBlazor;
using MudBlazor.Services;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// The shared bUnit context: MudBlazor's services and hosts, loose JS interop, an interactive renderer and a
/// signed-in test user. <see cref="AppComponentContext"/> adds the app's real services on SQLite.
/// </summary>
public abstract class ChatComponentContext : BunitContext, IAsyncLifetime
{
    protected ChatComponentContext()
    {
        Services.AddMudServices();
        Services.AddScoped<ChatApp.Components.Layout.AppShell>();
        Services.AddScoped<ChatApp.Components.Layout.MudHosts>();
        Services.AddSingleton<ChatApp.Chat.MessageHtmlCache>();
        Services.AddSingleton<ChatApp.Components.Pages.Chat.MessageRows>();
        Services.AddSingleton<ChatApp.Components.Pages.Chat.MemberRows>();
        Services.AddSingleton(TimeProvider.System);
        // What AddRazorComponents registers in the app; bUnit has none. A fixed token the tests can look for.
        Services.AddSingleton<Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider>(new TestAntiforgery());
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

    /// <summary>MudBlazor's hosts, rendered beside the component under test as the layout renders them: menus and selects open in the popover host, dialogs in the dialog host.</summary>
    protected (IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<MudDialogProvider> Dialogs) RenderMudHosts()
    {
        var hosts = (Render<MudPopoverProvider>(), Render<MudDialogProvider>());
        Services.GetRequiredService<ChatApp.Components.Layout.MudHosts>().Rendered();
        return hosts;
    }

    /// <summary>Opens a dialog through <see cref="IDialogService"/>, as the pages do; its markup is in the returned dialog host.</summary>
    protected async Task<IRenderedComponent<MudDialogProvider>> ShowDialogAsync<TDialog>(DialogParameters<TDialog> parameters) where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        var (_, dialogs) = RenderMudHosts();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TDialog>(typeof(TDialog).Name, parameters));
        return dialogs;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only: xunit disposes the context through IAsyncLifetime.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeContextAsync();

    protected virtual async Task DisposeContextAsync() => await base.DisposeAsync();
}

internal sealed class TestAntiforgery : Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider
{
    public override Microsoft.AspNetCore.Components.Forms.AntiforgeryRequestToken GetAntiforgeryToken() =>
        new("test-antiforgery-token", "__RequestVerificationToken");
}
