namespace ChatApp.Data;

/// <summary>A message one person saved for later; private to them. Deleting the message or the account deletes it.</summary>
public sealed class SavedMessage
{
    public required string UserId { get; set; }

    public long MessageId { get; set; }

    public DateTime SavedAt { get; set; }

    public Message Message { get; set; } = null!;
}
