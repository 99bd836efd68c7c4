using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatApp.Cluster;

/// <summary><c>Chat:Redis:Configuration</c> is a StackExchange.Redis configuration string, checked at start.</summary>
[Trait("Cost", "cluster")]
public sealed class RedisConfigurationTests
{
    [Fact]
    public void TLS_an_ACL_user_and_Sentinel_are_taken_from_the_configuration_string()
    {
        var options = ClusterServiceCollectionExtensions.ConnectionOptions(
            "sentinel-a:26379,sentinel-b:26379,serviceName=chat-primary,user=chatapp,password=s3cret,ssl=true");

        Assert.Equal(2, options.EndPoints.Count);
        Assert.Equal("chat-primary", options.ServiceName);
        Assert.Equal(("chatapp", "s3cret", true), (options.User, options.Password, options.Ssl));
        // What every server needs to ride out an outage, whatever the string says.
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    [Theory]
    [InlineData("localhost:6379,ssl=maybe")]
    [InlineData("localhost:6379,nosuchoption=1")]
    [InlineData(",")]
    public void A_configuration_string_the_library_cannot_use_stops_the_start(string configuration)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:Redis:Configuration"] = configuration,
        }).Build();
        // Only the options are resolved: the validation must refuse the string before anything connects.
        using var provider = new ServiceCollection().AddLogging().AddChatCluster(settings).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChatApp.Chat.RedisOptions>>().Value);
    }
}
