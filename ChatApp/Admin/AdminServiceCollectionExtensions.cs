using ChatApp.Admin;
using Microsoft.AspNetCore.Authorization;

namespace Microsoft.Extensions.DependencyInjection;

public static class AdminServiceCollectionExtensions
{
    /// <summary>The admin console's services; its pages answer 404 to anyone who is not an admin.</summary>
    public static IServiceCollection AddChatAdmin(this IServiceCollection services)
    {
        services.AddSingleton<AdminGuard>();
        services.AddSingleton<AdminUserService>();
        services.AddSingleton<AdminRoomService>();
        services.AddSingleton<AdminStatsService>();
        services.AddSingleton<AdminSettingsService>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminNotFoundResultHandler>();
        return services;
    }
}
