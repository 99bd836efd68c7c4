using Bunit;
using ChatApp.Admin;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Components.Pages.Admin;

public sealed class AdminPagesTests : AdminComponentContext
{
    [Fact]
    public async Task The_users_grid_pages_and_searches_through_the_server_query()
    {
        for (var i = 0; i < 30; i++)
        {
            await CreateUserAsync($"Member {i:00}");
        }

        var page = Render<Users>();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr").Count));
        Assert.Contains("(31 users)", page.Markup);
        Assert.Equal(new UserQuery("", null, false, 0, 25), page.Instance.LastQuery);

        page.Find("#user-search").Input("member 1");
        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("tbody tr").Count));
        Assert.Equal("member 1", page.Instance.LastQuery!.Search);
        Assert.All(page.FindAll("tbody tr"), row => Assert.Contains("Member 1", row.TextContent));
    }

    [Fact]
    public void Deleting_a_room_stays_disabled_until_its_name_is_typed_exactly()
    {
        var room = new AdminRoomRow(7, "design", Data.RoomKind.Public, null, 3, 120, null, false, false);
        var dialog = Render<DeleteRoomDialog>(p => p.Add(x => x.Actor, new Data.AuditActor(Admin.Id, Admin.DisplayName, null)).Add(x => x.Room, room));

        Assert.True(dialog.Find("button[type=submit]").HasAttribute("disabled"));
        dialog.Find("#confirm-room-name").Input("desig");
        Assert.True(dialog.Find("button[type=submit]").HasAttribute("disabled"));
        dialog.Find("#confirm-room-name").Input("design");
        Assert.False(dialog.Find("button[type=submit]").HasAttribute("disabled"));
        Assert.Contains("120 messages", dialog.Markup);
    }

    [Fact]
    public void Locking_your_own_account_is_refused_in_the_dialog()
    {
        var self = new AdminUserRow(Admin.Id, Admin.DisplayName, Admin.Email!, true, UserStatus.Active, null, DateTime.UtcNow, null, ChatApp.Chat.PresenceStatus.Online);
        var dialog = Render<LockUserDialog>(p => p.Add(x => x.Actor, new Data.AuditActor(Admin.Id, Admin.DisplayName, null)).Add(x => x.User, self));

        dialog.Find("form").Submit();

        dialog.WaitForAssertion(() => Assert.Equal("You cannot lock your own account from the admin console.", dialog.Find("[role=alert]").TextContent));
    }
}
