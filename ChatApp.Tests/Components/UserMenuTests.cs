using Bunit;
using ChatApp.Components.Layout;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Components;

public sealed class UserMenuTests : ChatComponentContext
{
    [Fact]
    public void Shows_the_display_name_with_initials_and_a_logout_form()
    {
        SignIn("Alice Smith");

        var menu = Render<UserMenu>();

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
        SignIn("Root", roles: Roles.Admin);

        var menu = Render<UserMenu>();

        Assert.Single(menu.FindAll("a[href='admin']"));
    }
}
