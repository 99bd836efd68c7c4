using System.Reflection;
using ChatApp.Components.Account;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// The per-circuit revalidation backstop: never more than a minute apart (SECURITY.md row 7), and spread, so that
/// circuits opened together do not all query the database in the same second of every minute.
/// </summary>
public sealed class RevalidationIntervalTests
{
    private static readonly PropertyInfo Interval = typeof(RevalidatingServerAuthenticationStateProvider)
        .GetProperty("RevalidationInterval", BindingFlags.Instance | BindingFlags.NonPublic)!;

    [Fact]
    public void Each_wait_is_drawn_between_half_a_minute_and_a_minute()
    {
        // The value the base class reads before each wait, from the provider the app registers.
        using var provider = new IdentityRevalidatingAuthenticationStateProvider(
            NullLoggerFactory.Instance, scopeFactory: null!, Options.Create(new IdentityOptions()));
        var waits = Enumerable.Range(0, 500).Select(_ => (TimeSpan)Interval.GetValue(provider)!).ToList();

        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)));
        // Spread over the half minute, not one fixed value: 500 draws leave no ten-second gap at either end.
        Assert.True(waits.Min() < TimeSpan.FromSeconds(40), $"The shortest of 500 waits was {waits.Min()}");
        Assert.True(waits.Max() > TimeSpan.FromSeconds(50), $"The longest of 500 waits was {waits.Max()}");
        Assert.True(waits.Distinct().Count() > 400, "The waits repeat: they are not drawn afresh");
    }
}
