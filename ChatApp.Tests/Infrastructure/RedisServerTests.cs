using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatApp.Tests.Infrastructure;

/// <summary>The private Redis that outage tests rely on: password required, and stop, start and restart on one port.</summary>
[Trait("Cost", "cluster")]
public sealed class RedisServerTests
{
    [Fact]
    public async Task It_requires_its_password_and_comes_back_empty_on_the_same_port_after_a_stop_or_restart()
    {
        await using var redis = await RedisServer.StartAsync(password: $"test-{Guid.NewGuid():N}");

        Assert.Equal($"127.0.0.1:{redis.Port},password={redis.Password}", redis.Configuration);
        Assert.StartsWith("-NOAUTH", await PingWithoutPasswordAsync(redis.Port), StringComparison.Ordinal);
        Assert.Equal("+OK", await redis.CommandAsync("SET", "greeting", "hello"));
        Assert.Equal("$5", await redis.CommandAsync("GET", "greeting"));

        await redis.StopAsync();
        await Assert.ThrowsAnyAsync<SocketException>(() => PingWithoutPasswordAsync(redis.Port));

        await redis.StartAsync();
        Assert.Equal("$-1", await redis.CommandAsync("GET", "greeting"));

        Assert.Equal("+OK", await redis.CommandAsync("SET", "greeting", "again"));
        await redis.RestartAsync();
        Assert.Equal("$-1", await redis.CommandAsync("GET", "greeting"));
    }

    [Fact]
    public async Task Disposing_it_ends_the_server()
    {
        var redis = await RedisServer.StartAsync();
        Assert.Equal($"127.0.0.1:{redis.Port}", redis.Configuration);
        Assert.Equal("+PONG", await redis.CommandAsync("PING"));

        await redis.DisposeAsync();

        await Assert.ThrowsAnyAsync<SocketException>(() => PingWithoutPasswordAsync(redis.Port));
    }

    private static async Task<string?> PingWithoutPasswordAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray());
        return await new StreamReader(stream, Encoding.UTF8).ReadLineAsync();
    }
}
