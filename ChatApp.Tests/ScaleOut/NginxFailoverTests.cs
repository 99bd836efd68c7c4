using System.Net;
using ChatApp.LoadDriver;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.ScaleOut;

/// <summary>What docs/scale-out.md promises when one of two servers dies: its browsers carry on on the other.</summary>
[Trait("Cost", "cluster")]
public sealed class NginxFailoverTests(ProxiedApps apps) : IClassFixture<ProxiedApps>
{
    [Fact]
    public async Task When_a_server_dies_its_browsers_move_to_the_other_one_and_stay_signed_in()
    {
        var address = apps.NewClientAddress();
        using var session = await BrowserSession.RegisterAsync(apps.BaseUri, "Proxy Failover", ProxiedApps.NewEmail("proxy.failover"), TestUsers.Password, apps.Through(address));
        var registration = await apps.RequestsFromAsync(address, log => log.Count >= 2);
        var dead = registration[0].Upstream == ProxiedApps.Upstream(apps.First) ? apps.First : apps.Second;
        var survivor = dead == apps.First ? apps.Second : apps.First;

        dead.Kill();

        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/Account/Manage")).StatusCode);
        var requests = await apps.RequestsFromAsync(address, log => log.Count == registration.Count + 1);
        // nginx tried the dead server first (or already knew it was down), then answered from the survivor.
        Assert.EndsWith(ProxiedApps.Upstream(survivor), requests[^1].Upstream, StringComparison.Ordinal);
        Assert.Equal(200, requests[^1].Status);
    }
}
