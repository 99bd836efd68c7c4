using Bunit;
using ChatApp.Admin;
using ChatApp.Tests.Infrastructure;
using MudBlazor;

namespace ChatApp.Components.Pages.Admin;

[Trait("Cost", "component")]
public sealed class AdminPagesTests : AppComponentContext
{
    /// <summary>The grids wait for a debounced search and a database query: on a busy machine that takes more than bUnit's 1 s.</summary>
    private static readonly TimeSpan ServerQuery = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_users_grid_pages_and_searches_through_the_server_query()
    {
        for (var i = 0; i < 30; i++)
        {
            await CreateUserAsync($"Member {i:00}");
        }
        RenderMudHosts();

        var page = Render<Users>();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr.mud-table-row").Count), ServerQuery);
        Assert.Contains("of 31 users", page.Markup);
        Assert.Equal(new UserQuery("", null, false, 0, 25), page.Instance.LastQuery);

        page.Find("#user-search").Input("member 1");
        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("tbody tr.mud-table-row").Count), ServerQuery);
        Assert.Equal("member 1", page.Instance.LastQuery!.Search);
        Assert.All(page.FindAll("tbody tr.mud-table-row"), row => Assert.Contains("Member 1", row.TextContent));
    }

    [Fact]
    public async Task The_users_grid_asks_the_server_for_the_next_page_and_for_the_sorted_column()
    {
        for (var i = 0; i < 30; i++)
        {
            await CreateUserAsync($"Member {i:00}");
        }
        RenderMudHosts();
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr.mud-table-row").Count), ServerQuery);

        page.Find("button[aria-label='Next page']").Click();
        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("tbody tr.mud-table-row").Count), ServerQuery);
        Assert.Equal(new UserQuery("", null, false, 25, 25), page.Instance.LastQuery);

        page.FindAll("th").Single(th => th.TextContent.Contains("Email")).QuerySelector(".sortable-column-header")!.Click();
        page.WaitForAssertion(() => Assert.Equal("Email", page.Instance.LastQuery!.SortBy), ServerQuery);
        Assert.False(page.Instance.LastQuery!.Descending);
    }

    [Fact]
    public async Task A_users_actions_menu_offers_what_fits_their_state()
    {
        var bob = await CreateUserAsync("Bob Locked");
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(bob.Id))!, DateTimeOffset.MaxValue);
        }
        var (popovers, _) = RenderMudHosts();
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr.mud-table-row").Count), ServerQuery);
        Assert.Contains("Locked indefinitely", page.Markup);

        page.Find("button[aria-label='Actions for Bob Locked']").Click();

        popovers.WaitForAssertion(() => Assert.Contains("Unlock", popovers.Markup));
        Assert.DoesNotContain("Lock…", popovers.Markup);
        Assert.Contains("Make admin", popovers.Markup);
        Assert.Contains("Delete user…", popovers.Markup);
    }

    [Fact]
    public async Task The_dashboard_counts_users_and_draws_both_charts_over_the_last_days()
    {
        await CreateUserAsync("Member 01");
        RenderMudHosts();

        var page = Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("svg.mud-chart-bar, svg.mud-chart-line").Count));
        Assert.Contains("Users", page.FindAll("p").Select(p => p.TextContent));
        Assert.Contains("2", page.FindAll("p").Select(p => p.TextContent.Trim()));
        Assert.Contains($"(last {ChatApp.Admin.AdminStatsService.Days} days)", page.Markup);
    }

    [Fact]
    public void The_dashboard_shows_this_servers_live_figures_from_the_metrics_meter()
    {
        var metrics = Services.GetRequiredService<ChatApp.Chat.ChatMetrics>();
        metrics.TabOpened();
        metrics.TabOpened();

        var page = Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Contains("Live on this server", page.Markup));
        var openTabs = page.FindAll("th").Single(th => th.TextContent == "Open tabs").NextElementSibling!;
        Assert.Equal("2", openTabs.TextContent);
    }

    [Fact]
    public async Task Deleting_a_room_stays_disabled_until_its_name_is_typed_exactly()
    {
        var room = new AdminRoomRow(7, "design", Data.RoomKind.Public, null, 3, 120, null, false, false);
        var dialog = await ShowDialogAsync(new DialogParameters<DeleteRoomDialog> { { x => x.Actor, new Data.AuditActor(Admin.Id, Admin.DisplayName, null) }, { x => x.Room, room } });

        Assert.True(dialog.Find("button[type=submit]").HasAttribute("disabled"));
        dialog.Find("#confirm-room-name").Input("desig");
        Assert.True(dialog.Find("button[type=submit]").HasAttribute("disabled"));
        dialog.Find("#confirm-room-name").Input("design");
        Assert.False(dialog.Find("button[type=submit]").HasAttribute("disabled"));
        Assert.Contains("120 messages", dialog.Markup);
    }

    [Fact]
    public async Task Locking_your_own_account_is_refused_in_the_dialog()
    {
        var self = new AdminUserRow(Admin.Id, Admin.DisplayName, Admin.Email!, true, UserStatus.Active, null, DateTime.UtcNow, null, ChatApp.Chat.PresenceStatus.Online);
        var dialog = await ShowDialogAsync(new DialogParameters<LockUserDialog> { { x => x.Actor, new Data.AuditActor(Admin.Id, Admin.DisplayName, null) }, { x => x.User, self } });

        dialog.Find("form").Submit();

        dialog.WaitForAssertion(() => Assert.Equal("You cannot lock your own account from the admin console.", dialog.Find("[role=alert]").TextContent.Trim()));
    }
}
