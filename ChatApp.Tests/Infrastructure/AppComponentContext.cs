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

/// <summary>The shared bUnit context with the app's real services on a temp SQLite file and a signed-in admin, for pages that query the database.</summary>
public abstract class AppComponentContext : ChatComponentContext
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
        services.AddWebhooks(configuration);
        services.AddMudServices();
        // bUnit's test authorization provides the signed-in user, not the circuit's revalidating provider.
        services.RemoveAll<AuthenticationStateProvider>();
    }

    protected ApplicationUser Admin { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await Services.InitializeDatabaseAsync();
        Admin = await CreateUserAsync("Ada Admin", admin: true);
        SignIn(Admin.DisplayName, Admin.Id, Roles.Admin);
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

    protected override async Task DisposeContextAsync()
    {
        await base.DisposeContextAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
