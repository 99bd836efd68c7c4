using ChatApp.Admin;
using ChatApp.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Incoming webhooks: management (admins and allowed room owners), the posting endpoint's rate and audit.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<AdminGuard>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookRateLimiter>();
        services.AddSingleton<WebhookRefusals>();
        return services;
    }
}
