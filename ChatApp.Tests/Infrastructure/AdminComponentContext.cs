using Bunit;
using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;

namespace ChatApp.Tests.Infrastructure;

/// <summary>bUnit with the app's real services on a temp SQLite file and MudBlazor's services, for pages that query the database.</summary>
public abstract class AdminComponentContext : ChatComponentContext, IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-bunit-").FullName;

    protected override void ConfigureServices(IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:DefaultConnection"] = $"Data Source={Path.Combine(directory, "chat.db")}" })
            .Build();
        var environment = new TestHostEnvironment { ContentRootPath = directory };
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(environment);
        services.AddLogging();
        services.AddChatData(configuration, environment);
        services.AddChatIdentity(configuration);
        services.AddChatSecurity(environment);
        services.AddChat();
        services.AddChatAdmin();
        services.AddMudServices();
        // bUnit's test authorization provides the signed-in user, not the circuit's revalidating provider.
        services.RemoveAll<AuthenticationStateProvider>();
    }

    protected ApplicationUser Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Services.InitializeDatabaseAsync();
        Admin = await CreateUserAsync("Ada Admin", admin: true);
        SignIn(Admin.DisplayName, Admin.Id, Roles.Admin);
    }

    /// <summary>MudBlazor's hosts, rendered beside the component under test as the layout renders them: menus and selects open in the popover host, dialogs in the dialog host.</summary>
    protected (IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<MudDialogProvider> Dialogs) RenderMudHosts() =>
        (Render<MudPopoverProvider>(), Render<MudDialogProvider>());

    /// <summary>Opens a dialog through <see cref="IDialogService"/>, as the pages do; its markup is in the returned dialog host.</summary>
    protected async Task<IRenderedComponent<MudDialogProvider>> ShowDialogAsync<TDialog>(DialogParameters<TDialog> parameters) where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        var (_, dialogs) = RenderMudHosts();
        await dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TDialog>(typeof(TDialog).Name, parameters));
        return dialogs;
    }

    protected async Task<ApplicationUser> CreateUserAsync(string displayName, bool admin = false)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"{displayName.Replace(' ', '.').ToLowerInvariant()}@example.com";
        var user = new ApplicationUser { DisplayName = displayName, UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user, TestUsers.Password)).Succeeded);
        if (admin)
        {
            await users.AddToRoleAsync(user, Roles.Admin);
        }
        return user;
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
