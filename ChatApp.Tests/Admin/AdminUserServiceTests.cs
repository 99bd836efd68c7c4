using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Admin;

[Trait("Cost", "http")]
public class AdminUserServiceTests : IAsyncLifetime
{
    private readonly ChatAppFactory app;
    private ApplicationUser admin = null!;
    private ApplicationUser bob = null!;

    private AdminUserService Service => app.GetRequiredService<AdminUserService>();

    public AdminUserServiceTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AdminUserServiceTests(DatabaseProvider provider) => app = new() { Provider = provider };

    public async Task InitializeAsync()
    {
        app.CreateClient().Dispose();
        admin = await app.CreateAsync("Ada Admin", admin: true);
        bob = await app.CreateAsync("Bob");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ApplicationUser> ReloadAsync(string id)
    {
        await using var db = app.CreateDbContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private async Task<AuditEntry> LastAuditAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.AuditEntries.OrderByDescending(e => e.Id).FirstAsync();
    }

    private async Task AssertAuditedAsync(string action, string targetId)
    {
        var entry = await LastAuditAsync();
        Assert.Equal(action, entry.Action);
        Assert.Equal(targetId, entry.TargetId);
        Assert.Equal(admin.Id, entry.ActorId);
        Assert.Equal("Ada Admin", entry.ActorName);
        Assert.Equal("203.0.113.9", entry.IpAddress);
    }

    [Fact]
    public async Task Queries_page_sort_and_search_in_the_database()
    {
        for (var i = 0; i < 30; i++)
        {
            await app.CreateAsync($"Member {i:00}");
        }

        var firstPage = (await Service.QueryAsync(admin.Actor(), new UserQuery(Take: 10))).Value!;
        var search = (await Service.QueryAsync(admin.Actor(), new UserQuery(Search: "member 1", SortBy: "DisplayName", Descending: true))).Value!;

        Assert.Equal(32, firstPage.Total);
        Assert.Equal(10, firstPage.Items.Count);
        Assert.Equal("Ada Admin", firstPage.Items[0].DisplayName);
        Assert.True(firstPage.Items[0].IsAdmin);
        Assert.Equal(10, search.Total);
        Assert.Equal("Member 19", search.Items[0].DisplayName);
    }

    [Fact]
    public async Task Creating_a_user_sets_a_temporary_password_joins_general_and_is_audited()
    {
        var result = await Service.CreateAsync(admin.Actor(), "Carol", "carol@example.com", "Temp-Passw0rd!");

        Assert.True(result.Succeeded, result.Error);
        await using var db = app.CreateDbContext();
        var carol = await db.Users.SingleAsync(u => u.Email == "carol@example.com");
        Assert.True(carol.MustChangePassword);
        Assert.True(await db.RoomMembers.AnyAsync(m => m.UserId == carol.Id && m.RoomId == Room.GeneralRoomId));
        await AssertAuditedAsync(AuditActions.UserCreated, carol.Id);
        Assert.Contains("is already taken", (await Service.CreateAsync(admin.Actor(), "Carol 2", "carol@example.com", "Temp-Passw0rd!")).Error);
    }

    [Fact]
    public async Task Editing_changes_name_and_email_and_refuses_a_taken_display_name()
    {
        Assert.True((await Service.EditAsync(admin.Actor(), bob.Id, "Robert", "robert@example.com")).Succeeded);
        var edited = await ReloadAsync(bob.Id);
        Assert.Equal(("Robert", "robert@example.com", "ROBERT@EXAMPLE.COM"), (edited.DisplayName, edited.Email, edited.NormalizedEmail));
        await AssertAuditedAsync(AuditActions.UserEdited, bob.Id);

        Assert.Equal("That display name is already taken.", (await Service.EditAsync(admin.Actor(), bob.Id, "ada admin", "robert@example.com")).Error);
    }

    [Fact]
    public async Task Resetting_a_password_returns_a_working_temporary_one_and_ends_sessions()
    {
        await using (var db = app.CreateDbContext())
        {
            db.UserSessions.Add(new UserSession { Id = "bob-session", UserId = bob.Id, CreatedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var result = await Service.ResetPasswordAsync(admin.Actor(), bob.Id);

        Assert.True(result.Succeeded, result.Error);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var reloaded = await users.FindByIdAsync(bob.Id);
        Assert.True(await users.CheckPasswordAsync(reloaded!, result.Value!));
        Assert.True(reloaded!.MustChangePassword);
        await using var check = app.CreateDbContext();
        Assert.False(await check.UserSessions.AnyAsync(s => s.UserId == bob.Id));
        await AssertAuditedAsync(AuditActions.PasswordReset, bob.Id);
    }

    [Fact]
    public async Task Lock_for_a_period_or_indefinitely_then_unlock()
    {
        var until = DateTimeOffset.UtcNow.AddHours(1);
        Assert.True((await Service.LockAsync(admin.Actor(), bob.Id, until)).Succeeded);
        Assert.Equal(until.UtcDateTime, (await ReloadAsync(bob.Id)).LockoutEnd!.Value.UtcDateTime, TimeSpan.FromSeconds(1));
        await AssertAuditedAsync(AuditActions.UserLocked, bob.Id);

        Assert.True((await Service.LockAsync(admin.Actor(), bob.Id, null)).Succeeded);
        Assert.Equal(DateTimeOffset.MaxValue, (await ReloadAsync(bob.Id)).LockoutEnd);
        var row = (await Service.QueryAsync(admin.Actor(), new UserQuery(Search: "bob"))).Value!.Items.Single();
        Assert.Equal(UserStatus.Locked, row.Status);

        Assert.True((await Service.UnlockAsync(admin.Actor(), bob.Id)).Succeeded);
        Assert.Null((await ReloadAsync(bob.Id)).LockoutEnd);
        await AssertAuditedAsync(AuditActions.UserUnlocked, bob.Id);
    }

    [Fact]
    public async Task Deactivate_and_reactivate()
    {
        Assert.True((await Service.DeactivateAsync(admin.Actor(), bob.Id)).Succeeded);
        Assert.True((await ReloadAsync(bob.Id)).IsDeactivated);
        await AssertAuditedAsync(AuditActions.UserDeactivated, bob.Id);

        Assert.True((await Service.ReactivateAsync(admin.Actor(), bob.Id)).Succeeded);
        Assert.False((await ReloadAsync(bob.Id)).IsDeactivated);
        await AssertAuditedAsync(AuditActions.UserReactivated, bob.Id);
    }

    [Fact]
    public async Task Grant_and_revoke_admin_take_effect_on_the_server_at_once()
    {
        Assert.True((await Service.GrantAdminAsync(admin.Actor(), bob.Id)).Succeeded);
        await AssertAuditedAsync(AuditActions.AdminGranted, bob.Id);
        Assert.True((await Service.QueryAsync(bob.Actor(), new UserQuery())).Succeeded);

        Assert.True((await Service.RevokeAdminAsync(admin.Actor(), bob.Id)).Succeeded);
        await AssertAuditedAsync(AuditActions.AdminRevoked, bob.Id);
        // A demoted admin's open admin page can do nothing.
        Assert.Equal(AdminGuard.NotAnAdmin, (await Service.QueryAsync(bob.Actor(), new UserQuery())).Error);
        Assert.Equal(AdminGuard.NotAnAdmin, (await Service.LockAsync(bob.Actor(), admin.Id, null)).Error);
    }

    [Fact]
    public async Task An_admin_cannot_lock_demote_deactivate_or_delete_themselves_here()
    {
        Assert.Equal("You cannot lock your own account from the admin console.", (await Service.LockAsync(admin.Actor(), admin.Id, null)).Error);
        Assert.Equal("You cannot demote your own account from the admin console.", (await Service.RevokeAdminAsync(admin.Actor(), admin.Id)).Error);
        Assert.Equal("You cannot deactivate your own account from the admin console.", (await Service.DeactivateAsync(admin.Actor(), admin.Id)).Error);
        Assert.Equal("You cannot delete your own account from the admin console.", (await Service.DeleteAsync(admin.Actor(), admin.Id)).Error);
        Assert.Null((await ReloadAsync(admin.Id)).LockoutEnd);
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_one_admin()
    {
        var grace = await app.CreateAsync("Grace", admin: true);

        var results = await Task.WhenAll(
            Service.RevokeAdminAsync(admin.Actor(), grace.Id),
            Service.RevokeAdminAsync(grace.Actor(), admin.Id));

        Assert.Single(results, r => r.Succeeded);
        await using var db = app.CreateDbContext();
        Assert.Equal(1, await db.UserRoles.CountAsync(r => r.RoleId == Roles.AdminRoleId));
    }

    [Fact]
    public async Task Deleting_a_user_keeps_their_messages_as_by_Deleted_user()
    {
        var messages = app.GetRequiredService<MessageService>();
        await messages.SendAsync(new ChatUser(bob.Id, "Bob"), Room.GeneralRoomId, "I was here", Guid.NewGuid());

        Assert.True((await Service.DeleteAsync(admin.Actor(), bob.Id)).Succeeded);

        await AssertAuditedAsync(AuditActions.UserDeleted, bob.Id);
        var history = await messages.GetLatestAsync(admin.Id, Room.GeneralRoomId);
        var kept = Assert.Single(history);
        Assert.Equal(("I was here", ChatMessage.DeletedUserName, (string?)null), (kept.Text, kept.AuthorName, kept.AuthorId));
        Assert.False(await app.GetRequiredService<RoomMembership>().CanReadAsync(bob.Id, Room.GeneralRoomId));
    }

    [Fact]
    public async Task Ending_all_sessions_deletes_them_and_is_audited()
    {
        await using (var db = app.CreateDbContext())
        {
            db.UserSessions.AddRange(
                new UserSession { Id = "s1", UserId = bob.Id, CreatedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow },
                new UserSession { Id = "s2", UserId = bob.Id, CreatedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.True((await Service.EndSessionsAsync(admin.Actor(), bob.Id)).Succeeded);

        await using var check = app.CreateDbContext();
        Assert.False(await check.UserSessions.AnyAsync(s => s.UserId == bob.Id));
        await AssertAuditedAsync(AuditActions.UserSessionsEnded, bob.Id);
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
[Trait("Cost", "http")]
public sealed class AdminUserServiceTestsOnPostgres() : AdminUserServiceTests(DatabaseProvider.Postgres);
