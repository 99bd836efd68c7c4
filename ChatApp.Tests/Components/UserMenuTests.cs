using System.Security.Claims;
using Bunit;
using ChatApp.Components.Layout;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components;

[Trait("Cost", "component")]
public sealed class UserMenuTests : ChatComponentContext
{
    private static ClaimsPrincipal User(string displayName, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ChatClaimTypes.DisplayName, displayName), .. roles.Select(role => new Claim(ClaimTypes.Role, role))], "Identity.Application"));

    [Fact]
    public void On_a_static_page_the_menu_shows_the_name_with_initials_and_a_logout_form()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var menu = Render<UserMenu>(parameters => parameters.Add(x => x.User, User("Alice Smith")));

        Assert.StartsWith("Alice Smith", menu.Find("summary .user-menu-name").TextContent);
        Assert.Equal("AS", menu.Find(".avatar").TextContent);
        var logout = menu.Find("form[action='Account/Logout']");
        Assert.Equal("post", logout.GetAttribute("method"));
        Assert.Empty(menu.FindAll("a[href='admin']"));
    }

    [Fact]
    public async Task In_a_circuit_the_menu_button_is_named_after_the_person_and_opens_the_same_items()
    {
        var (popovers, _) = RenderMudHosts();
        var menu = Render<UserMenu>(parameters => parameters.Add(x => x.User, User("Alice Smith")));

        var button = menu.Find("button[aria-label]");
        Assert.StartsWith("Alice Smith", button.GetAttribute("aria-label"));
        Assert.Empty(popovers.FindAll("form[action='Account/Logout']"));

        await button.ClickAsync(new());

        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll("form[action='Account/Logout']")));
        Assert.Equal(["system", "light", "dark"], popovers.FindAll("form[action='preferences/theme'] button[name=mode]").Select(b => b.GetAttribute("value")));
    }

    [Fact]
    public void Admins_get_a_link_to_the_admin_console()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var menu = Render<UserMenu>(parameters => parameters.Add(x => x.User, User("Root", Roles.Admin)));

        Assert.Single(menu.FindAll("a[href='admin']"));
    }
}
