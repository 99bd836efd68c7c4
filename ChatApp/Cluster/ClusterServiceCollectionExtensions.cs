using ChatApp.Chat;
using ChatApp.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
            .Validate(o => !o.IsConfigured || TryParse(o.Configuration!), "Chat:Redis:Configuration must look like host:port[,password=…].")
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromMilliseconds(100), "Chat:Redis:HeartbeatInterval must be at least 100 ms.")
            .ValidateOnStart();
        var options = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.IsConfigured)
        {
            return services;
        }
        // Cluster messages are protected with the shared key ring: Redis and its network see only ciphertext,
        // and a message that was not produced by a server of this cluster is rejected.
        services.AddChatKeyRing();
        services.AddSingleton(sp => new RedisClient(
            RedisEndpoint.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!), sp.GetRequiredService<ILogger<RedisClient>>()));
        services.AddSingleton<ClusterOutbox>();
        services.Replace(ServiceDescriptor.Singleton<IChatNotifier, RedisChatNotifier>());
        services.AddSingleton<RedisBackplane>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisBackplane>());
        return services;
    }

    private static bool TryParse(string configuration)
    {
        try
        {
            RedisEndpoint.Parse(configuration);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
