using ChatApp.Data;
using ChatApp.Security;
using Microsoft.AspNetCore.Identity;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Creates accounts in a running test app through Identity, the way registration does.</summary>
public static class AppUsers
{
    public static async Task<ApplicationUser> CreateAsync(this ChatAppFactory app, string displayName, bool admin = false)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"{displayName.Replace(' ', '.').ToLowerInvariant()}@example.com";
        var user = new ApplicationUser { DisplayName = displayName, UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, TestUsers.Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        await scope.ServiceProvider.GetRequiredService<ChatApp.Chat.RoomService>().JoinDefaultRoomAsync(user.Id, displayName);
        if (admin)
        {
            await users.AddToRoleAsync(user, Roles.Admin);
        }
        return user;
    }

    public static AuditActor Actor(this ApplicationUser user) => new(user.Id, user.DisplayName, "203.0.113.9");
}
