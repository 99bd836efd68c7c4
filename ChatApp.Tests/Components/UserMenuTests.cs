using System.Security.Claims;
using Bunit;
using ChatApp.Components.Layout;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Components;

[Trait("Cost", "component")]
public sealed class UserMenuTests : ChatComponentContext
{
    private static ClaimsPrincipal User(string displayName, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ChatClaimTypes.DisplayName, displayName), .. roles.Select(role => new Claim(ClaimTypes.Role, role))], "Identity.Application"));

    private IRenderedComponent<UserMenu> RenderMenu(bool interactive, ClaimsPrincipal user)
    {
        SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", isInteractive: interactive));
        return Render<UserMenu>(parameters => parameters.Add(x => x.User, user));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_menu_is_the_same_markup_on_static_pages_and_in_a_circuit(bool interactive)
    {
        var menu = RenderMenu(interactive, User("Alice Smith"));

        Assert.Equal("AS Alice Smith: account menu", string.Join(" ", menu.Find("details > summary").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("AS", menu.Find("summary .avatar").TextContent);
        var logout = menu.Find("[role=menu] form[action='Account/Logout']");
        Assert.Equal("post", logout.GetAttribute("method"));
        Assert.Equal(["system", "light", "dark"], menu.FindAll("form[action='preferences/theme'] button[name=mode]").Select(b => b.GetAttribute("value")));
        Assert.Empty(menu.FindAll("a[href='admin']"));
    }

    [Fact]
    public void Admins_get_a_link_to_the_admin_console()
    {
        var menu = RenderMenu(interactive: false, User("Root", Roles.Admin));

        Assert.Single(menu.FindAll("a[href='admin']"));
    }

    [Fact]
    public void Do_not_disturb_and_the_status_page_are_plain_entries_of_the_menu()
    {
        var menu = RenderMenu(interactive: false, User("Alice Smith"));

        Assert.Equal("menuitem", menu.Find("a[href='Account/Manage/Status']").GetAttribute("role"));
        // One form for the theme and do-not-disturb (one antiforgery token per tab); these buttons post elsewhere.
        var form = menu.Find("[role=menu] form[action='preferences/theme']");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name=timeZone][data-time-zone]"));
        var dnd = form.QuerySelectorAll("button[name=until]");
        Assert.Equal(["30m", "1h", "tomorrow", "off"], dnd.Select(b => b.GetAttribute("value")));
        Assert.All(dnd, button => Assert.Equal("preferences/do-not-disturb", button.GetAttribute("formaction")));
        Assert.Equal("Do not disturb", menu.Find("#" + form.QuerySelector(".user-menu-dnd [role=group]")!.GetAttribute("aria-labelledby")).TextContent);
        // Two forms in all (preferences, log out), so two antiforgery tokens rendered in every open tab.
        Assert.Equal(2, menu.FindAll("form").Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Both_forms_carry_the_antiforgery_field_without_a_component_in_the_menu(bool interactive)
    {
        var menu = RenderMenu(interactive, User("Alice Smith"));

        // The menu is in every open tab, and every component costs each tab ~3.5 KB of server memory: the fields are
        // the menu's own markup (<AntiforgeryToken /> was a component per form).
        var token = Services.GetRequiredService<AntiforgeryStateProvider>().GetAntiforgeryToken()!;
        Assert.All(menu.FindAll("form"), form =>
        {
            var field = form.QuerySelector($"input[type=hidden][name='{token.FormFieldName}']");
            Assert.NotNull(field);
            Assert.Equal(token.Value, field.GetAttribute("value"));
        });
        Assert.Empty(menu.FindComponents<AntiforgeryToken>());
    }
}
