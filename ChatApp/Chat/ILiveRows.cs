namespace ChatApp.Chat;

/// <summary>
/// The row feeds of big rooms (<see cref="LiveRowFeed"/>), as the notifier's fan-out sees them: a new message's row, or
/// who is typing, is offered to each recipient that passed the per-recipient check and goes into that recipient's feed
/// at once, rendered once per kind of reader.
/// </summary>
public interface ILiveRows
{
    /// <summary>Starts the fan-out of a new message shown in its room; null when no tab's feed can carry it.</summary>
    ILiveRowFanOut? Begin(ChatMessage message);

    /// <summary>Starts the fan-out of someone typing in a room; null when no tab's feed can carry it.</summary>
    ILiveRowFanOut? Begin(UserTyping typing);
}

public interface ILiveRowFanOut
{
    /// <summary>
    /// Sends the row (or typing signal) to <paramref name="recipient"/>'s tab when its feed can carry it. Call only for
    /// a recipient authorized to read the room now, and before the recipient's circuit hears of it.
    /// </summary>
    void Offer(IChatRecipient recipient);
}
