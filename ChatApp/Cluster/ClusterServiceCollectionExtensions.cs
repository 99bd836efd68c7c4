using ChatApp.Chat;
using ChatApp.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Chat:Redis:Configuration</c> set, joins the servers sharing that Redis into one chat (see
    /// docs/scale-out.md); without it, nothing changes and everything stays in this process.
    /// </summary>
    public static IServiceCollection AddChatCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName))
            .Validate(o => !o.IsConfigured || TryParse(o.Configuration!),
                "Chat:Redis:Configuration must be a StackExchange.Redis configuration string (host:port[,password=…][,ssl=true]…).")
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromMilliseconds(100), "Chat:Redis:HeartbeatInterval must be at least 100 ms.")
            .Validate(o => o.MessageMaxAge >= o.HeartbeatInterval, "Chat:Redis:MessageMaxAge must be at least the heartbeat interval.")
            .Validate(o => o.OutboxCapacity >= 100, "Chat:Redis:OutboxCapacity must be at least 100.")
            .ValidateOnStart();
        var options = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.IsConfigured)
        {
            return services;
        }
        // Cluster messages are protected with the shared key ring: Redis and its network see only ciphertext,
        // and a message that was not produced by a server of this cluster is rejected.
        services.AddChatKeyRing(configuration);
        services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(ConnectionOptions(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!)));
        services.AddSingleton<ClusterOutbox>();
        services.Replace(ServiceDescriptor.Singleton<IChatNotifier, RedisChatNotifier>());
        services.AddSingleton<RedisBackplane>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisBackplane>());
        return services;
    }

    /// <summary>The operator's configuration string, plus what a server riding out Redis outages needs.</summary>
    internal static ConfigurationOptions ConnectionOptions(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start (and keep serving local users) while Redis is away; the backplane waits for it at start itself.
        options.AbortOnConnectFail = false;
        // A command during an outage fails at once instead of being replayed later: the backplane resyncs instead,
        // and the rate limiters fall back to the server's own count.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(100, 2000);
        options.ClientName ??= "chatapp";
        return options;
    }

    private static bool TryParse(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
