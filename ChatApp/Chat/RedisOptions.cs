namespace ChatApp.Chat;

/// <summary>The <c>Chat:Redis</c> section. Empty <see cref="Configuration"/>: one server, nothing leaves the process.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Chat:Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string: <c>host:port</c>, optionally <c>,password=…</c>, <c>,user=…</c>
    /// (a Redis ACL user), <c>,ssl=true</c> (TLS), or Sentinel hosts with <c>,serviceName=…</c>.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of the channel and keys, so several ChatApp clusters can share one Redis.</summary>
    public string Prefix { get; set; } = "chatapp";

    /// <summary>How often a server says it is alive; after three missed beats its users count as offline.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A cluster message sealed longer ago than this (clock differences between servers included) is refused as a replay.</summary>
    public TimeSpan MessageMaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages waiting to be sent; past this the oldest are dropped and the others are made to catch up.</summary>
    public int OutboxCapacity { get; set; } = 100_000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}
