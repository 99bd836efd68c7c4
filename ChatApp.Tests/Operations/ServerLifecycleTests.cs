using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace ChatApp.Operations;

[Trait("Cost", "http")]
public sealed class ServerLifecycleTests
{
    [Fact]
    public void Stopping_the_host_tells_every_subscriber_once_even_when_one_handler_fails()
    {
        using var app = new ChatAppFactory();
        _ = app.Server;
        var lifecycle = app.GetRequiredService<ServerLifecycle>();
        var told = 0;
        using var failing = lifecycle.OnStopping(() => throw new InvalidOperationException("A failing tab must not stop the others."));
        using var subscription = lifecycle.OnStopping(() => told++);
        using var removed = lifecycle.OnStopping(() => told += 100);
        removed.Dispose();

        app.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.True(lifecycle.IsStopping);
        Assert.Equal(1, told);
    }

    [Fact]
    public async Task While_stopping_ready_is_unhealthy_live_is_not_and_new_tabs_are_refused()
    {
        using var app = new ChatAppFactory();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        app.GetRequiredService<ServerLifecycle>().SignalStopping();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
    }
}
