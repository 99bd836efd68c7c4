using System.Net;
using ChatApp.Data;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatApp.Security;

[Trait("Cost", "http")]
public sealed class DisplayNameTests : IDisposable
{
    private readonly ChatAppFactory app = new();

    public void Dispose() => app.Dispose();

    [Theory]
    [InlineData("Alice  Smith")]
    [InlineData(" Alice\u00A0Smith ")]
    [InlineData("\u0410lice Smith")]
    [InlineData("Alic\u0435 Smith")]
    [InlineData("\uFF21lice Smith")]
    [InlineData("alice smith")]
    [InlineData("AIice Smith")]
    public async Task A_name_that_looks_like_an_existing_one_is_refused(string lookAlike)
    {
        await new FormClient(app.CreateBrowserLikeClient()).RegisterAsync("Alice Smith", "alice@example.com");

        var response = await new FormClient(app.CreateBrowserLikeClient()).RegisterAsync(lookAlike, "mallory@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That display name is already taken.", await response.Content.ReadAsStringAsync());
        await using var db = app.CreateDbContext();
        Assert.Equal(["Alice Smith"], await db.Users.Select(u => u.DisplayName).ToListAsync());
    }

    [Theory]
    [InlineData("Alice\u200BSmith")]
    [InlineData("Alice\u202ESmith")]
    [InlineData("Alice\u2066Smith")]
    [InlineData("Alice\tSmith")]
    [InlineData("Alice\u00ADSmith")]
    public void Invisible_control_and_direction_characters_are_refused(string name)
    {
        Assert.Equal("Display name may not contain invisible, control or text-direction characters.", DisplayNameRules.Check(name));
    }

    [Fact]
    public void Names_are_stored_normalized_and_different_names_keep_different_skeletons()
    {
        Assert.Equal("Alice Smith", DisplayNameRules.Normalize("  Alice \u00A0  Smith "));
        Assert.Equal("Alice", DisplayNameRules.Normalize("\uFF21lice"));
        Assert.Equal(DisplayNameRules.Skeleton("Alice"), DisplayNameRules.Skeleton("\u0410lice"));
        Assert.NotEqual(DisplayNameRules.Skeleton("Alice"), DisplayNameRules.Skeleton("Alicia"));
        Assert.NotEqual(DisplayNameRules.Skeleton("Bob"), DisplayNameRules.Skeleton("Rob"));
        Assert.Null(DisplayNameRules.Check("Zoë O'Brien-Łukasz"));
        var racers = Enumerable.Range(0, 20).Select(i => DisplayNameRules.Skeleton($"Racer {i}")).ToList();
        Assert.True(racers.Distinct().Count() == 20, string.Join(" | ", racers));
    }

    [Fact]
    public async Task Accounts_from_before_the_check_keep_their_names_and_the_earlier_look_alike_holds_the_skeleton()
    {
        using (app.CreateClient())
        {
        }
        await using (var db = app.CreateDbContext())
        {
            db.Users.AddRange(
                new ApplicationUser { DisplayName = "Carol", NormalizedDisplayName = "CAROL", UserName = "c1@example.com", CreatedAt = DateTime.UtcNow.AddDays(-2) },
                new ApplicationUser { DisplayName = "C\u0430rol", NormalizedDisplayName = "C\u0410ROL", UserName = "c2@example.com", CreatedAt = DateTime.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        }

        await new DisplayNameSkeletonBackfill(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ApplicationDbContext>>(),
            NullLogger<DisplayNameSkeletonBackfill>.Instance).StartAsync(CancellationToken.None);

        await using var after = app.CreateDbContext();
        var skeletons = await after.Users.OrderBy(u => u.CreatedAt).Select(u => new { u.DisplayName, u.DisplayNameSkeleton }).ToListAsync();
        Assert.Equal(["Carol", "C\u0430rol"], skeletons.Select(s => s.DisplayName));
        Assert.Equal(DisplayNameRules.Skeleton("Carol"), skeletons[0].DisplayNameSkeleton);
        Assert.Null(skeletons[1].DisplayNameSkeleton);
        var newcomer = await new FormClient(app.CreateBrowserLikeClient()).RegisterAsync("CAROL", "c3@example.com");
        Assert.Contains("That display name is already taken.", await newcomer.Content.ReadAsStringAsync());
    }
}
