using System.Text;
using ChatApp.Cluster;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatApp.Cluster;

/// <summary>Our RESP client against a real redis-server.</summary>
public sealed class RedisClientTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private RedisClient client = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        client = new RedisClient(RedisEndpoint.Parse(redis.Configuration), NullLogger<RedisClient>.Instance);
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Values_round_trip_as_bytes_integers_and_null()
    {
        var text = "héllo\r\n$*-:+ wörld 👋";
        Assert.Equal("OK", await client.ExecuteAsync("SET", "k", text));
        Assert.Equal(text, Encoding.UTF8.GetString((byte[])(await client.ExecuteAsync("GET", "k"))!));
        Assert.Equal(5L, await client.ExecuteAsync("INCRBY", "n", 5));
        Assert.Null(await client.ExecuteAsync("GET", "missing"));
        var list = (object?[])(await client.ExecuteAsync("MGET", "k", "missing"))!;
        Assert.Equal(2, list.Length);
        Assert.Null(list[1]);
    }

    [Fact]
    public async Task An_error_reply_throws_and_the_connection_keeps_working()
    {
        await client.ExecuteAsync("SET", "k", "not a number");
        var error = await Assert.ThrowsAsync<RedisErrorException>(() => client.ExecuteAsync("INCR", "k"));
        Assert.Contains("not an integer", error.Message);
        Assert.Equal("PONG", await client.ExecuteAsync("PING"));
    }

    [Fact]
    public async Task Concurrent_commands_are_pipelined_and_each_gets_its_own_reply()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => client.ExecuteAsync("ECHO", $"value {i}")));
        for (var i = 0; i < replies.Length; i++)
        {
            Assert.Equal($"value {i}", Encoding.UTF8.GetString((byte[])replies[i]!));
        }
    }

    [Fact]
    public async Task After_Redis_restarts_the_next_command_reconnects()
    {
        Assert.Equal("PONG", await client.ExecuteAsync("PING"));
        await redis.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ExecuteAsync("PING"));
        await redis.StartAsync();
        Assert.Equal("PONG", await client.ExecuteAsync("PING"));
    }

    [Fact]
    public async Task A_subscriber_receives_in_order_and_resubscribes_after_an_outage()
    {
        var received = new List<string>();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscriber = new RedisSubscriber(RedisEndpoint.Parse(redis.Configuration), "test:channel",
            payload =>
            {
                lock (received)
                {
                    received.Add(Encoding.UTF8.GetString(payload));
                }
                return Task.CompletedTask;
            },
            () =>
            {
                reconnected.TrySetResult();
                return Task.CompletedTask;
            },
            NullLogger.Instance);
        await subscriber.StartAsync(CancellationToken.None);

        for (var i = 0; i < 100; i++)
        {
            await client.ExecuteAsync("PUBLISH", "test:channel", $"m{i}");
        }
        await WaitUntilAsync(() => Count(received) == 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), received);

        await redis.StopAsync();
        await WaitUntilAsync(() => !subscriber.IsConnected);
        await redis.StartAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(subscriber.IsConnected);
        await client.ExecuteAsync("PUBLISH", "test:channel", "after");
        await WaitUntilAsync(() => Count(received) == 101);
        Assert.Equal("after", received[^1]);
    }

    [Theory]
    [InlineData("redis.local", "redis.local", 6379, null)]
    [InlineData("10.0.0.5:6380,password=s3cret", "10.0.0.5", 6380, "s3cret")]
    public void Configuration_strings_parse(string configuration, string host, int port, string? password)
    {
        var endpoint = RedisEndpoint.Parse(configuration);
        Assert.Equal((host, port, password), (endpoint.Host, endpoint.Port, endpoint.Password));
    }

    [Fact]
    public void Unknown_options_are_refused()
    {
        Assert.Throws<FormatException>(() => RedisEndpoint.Parse("localhost:6379,ssl=true"));
    }

    private static int Count(List<string> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "The condition did not hold in time.");
            await Task.Delay(20);
        }
    }
}
