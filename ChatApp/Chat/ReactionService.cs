using ChatApp.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Chat;

/// <summary>Reactions on messages: toggled by people who may read and post in the room, published to the room.</summary>
public sealed class ReactionService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    RoomMembership membership,
    IChatNotifier notifier,
    PostingRules postingRules,
    TimeProvider time)
{
    /// <summary>The emoji the reaction picker offers; anything else from the browser is refused.</summary>
    public static readonly IReadOnlyList<string> Emoji = ["👍", "❤️", "😂", "🎉", "😮", "😢", "👀", "✅"];

    /// <summary>Adds the user's reaction, or takes it back if it was there.</summary>
    public async Task<ChatResult> ToggleAsync(ChatUser user, long messageId, string emoji, CancellationToken cancellationToken = default)
    {
        if (!Emoji.Contains(emoji))
        {
            return ChatResult.Fail("That reaction is not available.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.Id == messageId && m.DeletedAt == null)
            .Select(m => new { m.RoomId, m.Sequence })
            .FirstOrDefaultAsync(cancellationToken);
        if (message is null || !await membership.CanReadAsync(user.Id, message.RoomId))
        {
            return ChatResult.Fail(ChatResult.MessageNotFound);
        }
        if (await postingRules.AuthorizeWriteAsync(user.Id, message.RoomId) is { } refusal)
        {
            return ChatResult.Fail(refusal);
        }
        var removed = await db.MessageReactions
            .Where(r => r.MessageId == messageId && r.UserId == user.Id && r.Emoji == emoji)
            .ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            db.MessageReactions.Add(new MessageReaction { MessageId = messageId, UserId = user.Id, Emoji = emoji, CreatedAt = time.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A double click raced itself; the reaction is there.
            }
        }
        var reactions = (await MessageProjection.LoadReactionsAsync(db, [messageId], cancellationToken)).GetValueOrDefault(messageId, []);
        notifier.Publish(new ReactionsChanged(message.RoomId, messageId, message.Sequence, reactions));
        return ChatResult.Ok;
    }
}
