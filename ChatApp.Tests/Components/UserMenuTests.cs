using ChatApp.Data;
using System.Security.Claims;
using Bunit;
using ChatApp.Components.Layout;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Components;

public sealed class UserMenuTests : ChatComponentContext
{
    private static ClaimsPrincipal User(string displayName, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ChatClaimTypes.DisplayName, displayName), .. roles.Select(role => new Claim(ClaimTypes.Role, role))], "Identity.Application"));

    [Fact]
    public void Shows_the_display_name_with_initials_and_a_logout_form()
    {
        var menu = Render<UserMenu>(parameters => parameters.Add(x => x.User, User("Alice Smith")));

        Assert.Equal("Alice Smith", menu.Find(".user-menu-name").TextContent);
        Assert.Equal("AS", menu.Find(".avatar").TextContent);
        var form = menu.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("Account/Logout", form.GetAttribute("action"));
        Assert.Empty(menu.FindAll("a[href='admin']"));
    }

    [Fact]
    public void Admins_get_a_link_to_the_admin_console()
    {
        var menu = Render<UserMenu>(parameters => parameters.Add(x => x.User, User("Root", Roles.Admin)));

        Assert.Single(menu.FindAll("a[href='admin']"));
    }
}
