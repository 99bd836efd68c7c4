using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

[Trait("Cost", "service")]
public sealed class SingleSignOnPolicyTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Requiring_single_sign_on_is_one_shared_row_that_spares_only_break_glass_accounts(DatabaseProvider provider)
    {
        await using var services = await ChatServices.StartAsync(provider);
        var options = Options.Create(new SingleSignOnOptions { BreakGlassEmails = ["Root@Example.com"] });
        var policy = new SingleSignOnPolicy(services.Get<IDbContextFactory<ApplicationDbContext>>(), options);
        var glass = new ApplicationUser { Email = "root@example.com" };
        var member = new ApplicationUser { Email = "member@example.com" };
        Assert.True(await policy.AllowsLocalSignInAsync(member));

        await policy.SetRequiredAsync(true);
        await policy.SetRequiredAsync(true);

        Assert.True(await policy.IsRequiredAsync());
        Assert.False(await policy.AllowsLocalSignInAsync(member));
        Assert.True(await policy.AllowsLocalSignInAsync(glass));
        await using (var db = services.CreateDbContext())
        {
            Assert.Equal(1, await db.SystemFlags.CountAsync(f => f.Name == SystemFlag.SingleSignOnRequired));
        }

        await policy.SetRequiredAsync(false);

        Assert.False(await policy.IsRequiredAsync());
        Assert.True(await policy.AllowsLocalSignInAsync(member));
    }
}
