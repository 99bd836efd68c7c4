namespace ChatApp.Chat;

/// <summary>Reads a room's messages by sequence for a viewer; <see cref="MessageService"/> in the app, a list in unit tests.</summary>
public interface IRoomHistory
{
    /// <summary>The newest page of a room, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetLatestAsync(string userId, int roomId, CancellationToken cancellationToken = default);

    /// <summary>One page before a sequence, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string userId, int roomId, long beforeSequence, CancellationToken cancellationToken = default);

    /// <summary>Messages after a sequence (at most <paramref name="take"/>), oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string userId, int roomId, long afterSequence, CancellationToken cancellationToken = default, int take = MessageService.MaxCatchUp);
}
