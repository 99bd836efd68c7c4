namespace ChatApp.Data;

/// <summary>A member mentioned by name in a message, resolved against the room's members when it was sent.</summary>
public sealed class MessageMention
{
    public long MessageId { get; set; }

    public required string UserId { get; set; }
}
