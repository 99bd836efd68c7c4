using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Security;

/// <summary>
/// At start, gives accounts made before look-alike checks existed their skeleton, oldest first, so the earlier of
/// two look-alike names holds it and a newcomer can take neither. The later one keeps its name without a skeleton.
/// </summary>
internal sealed partial class DisplayNameSkeletonBackfill(IDbContextFactory<ApplicationDbContext> dbFactory, ILogger<DisplayNameSkeletonBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = await db.Users.Where(u => u.DisplayNameSkeleton == null).OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }
        var skeletons = pending.Select(u => DisplayNameRules.Skeleton(u.DisplayName)).ToList();
        // Only the skeletons these names could clash with, not every account's.
        var taken = (await db.Users.Where(u => skeletons.Contains(u.DisplayNameSkeleton!)).Select(u => u.DisplayNameSkeleton!).ToListAsync(cancellationToken)).ToHashSet();
        var lookAlikes = 0;
        foreach (var (user, skeleton) in pending.Zip(skeletons))
        {
            if (taken.Add(skeleton))
            {
                user.DisplayNameSkeleton = skeleton;
            }
            else
            {
                lookAlikes++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        if (lookAlikes > 0)
        {
            LogLookAlikes(lookAlikes);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} existing display name(s) look like an earlier account's; they keep working, and an admin may want to rename them")]
    private partial void LogLookAlikes(int count);
}
