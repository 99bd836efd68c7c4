using ChatApp.Chat;
using ChatApp.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ChatServiceCollectionExtensions
{
    /// <summary>Rooms, messages, presence and the in-process notifier.</summary>
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ChatMetrics>();
        // Posting rules and moderation consult the admin roster and write to the audit log.
        services.TryAddSingleton<AdminRoster>();
        services.TryAddSingleton<AuditLog>();
        services.AddSingleton<RoomMembership>();
        // The in-process fan-out; with Redis configured (AddChatCluster) a relaying notifier wraps it.
        services.AddSingleton<InMemoryChatNotifier>();
        services.AddSingleton<IChatNotifier>(sp => sp.GetRequiredService<InMemoryChatNotifier>());
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<PostingRules>();
        services.AddSingleton<MessageWriter>();
        services.AddSingleton<MessageService>();
        services.AddSingleton<ThreadService>();
        services.AddSingleton<ReactionService>();
        services.AddSingleton<MessageHtmlCache>();
        services.AddSingleton<RoomService>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<NotificationSettings>();
        services.AddSingleton<AttachmentService>();
        services.AddHostedService<AttachmentSweeper>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<SharedMessages>();
        services.AddSingleton<MarkedHistory>();
        services.AddSingleton<PinService>();
        services.AddSingleton<SavedMessages>();
        return services;
    }
}
