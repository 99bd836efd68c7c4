using Bunit;
using ChatApp.Data;
using ChatApp.Security;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Components.Pages.Admin;

[Trait("Cost", "component")]
public sealed class SettingsPageTests : AppComponentContext
{
    private bool withProvider = true;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Configure<SingleSignOnOptions>(options =>
        {
            if (withProvider)
            {
                options.Providers["Corp"] = new() { Authority = "https://idp.example.com/", ClientId = "chat", DisplayName = "Corp SSO" };
            }
            options.BreakGlassEmails = ["ada.admin@example.com"];
        });
    }

    [Fact]
    public async Task The_require_single_sign_on_switch_turns_password_sign_in_off_on_the_server_and_is_audited()
    {
        RenderMudHosts();
        var page = Render<Settings>();
        page.WaitForAssertion(() => Assert.Contains("Corp SSO", page.Markup));
        Assert.Contains("ada.admin@example.com", page.Markup);
        var policy = Services.GetRequiredService<SingleSignOnPolicy>();
        Assert.False(await policy.IsRequiredAsync());

        await page.Find("input[type=checkbox]").ChangeAsync(new() { Value = true });

        await WaitForAsync(policy.IsRequiredAsync);
        await using var db = await Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SingleSignOnRequired && e.ActorId == Admin.Id));
        page.WaitForAssertion(() => Assert.True(page.Find("input[type=checkbox]").HasAttribute("checked") || page.Find("input[type=checkbox]").GetAttribute("aria-checked") == "true"));
    }

    [Fact]
    public void Without_a_configured_provider_the_switch_is_disabled()
    {
        withProvider = false;
        RenderMudHosts();
        var page = Render<Settings>();
        page.WaitForAssertion(() => Assert.Contains("none configured", page.Markup));
        Assert.True(page.Find("input[type=checkbox]").HasAttribute("disabled"));
    }

    private static async Task WaitForAsync(Func<CancellationToken, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition(CancellationToken.None))
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(50);
        }
    }
}
