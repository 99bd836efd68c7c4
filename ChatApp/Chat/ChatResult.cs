namespace ChatApp.Chat;

/// <summary>The outcome of a user's chat action: success, or a message to show them.</summary>
public record ChatResult(string? Error)
{
    public bool Succeeded => Error is null;

    public static readonly ChatResult Ok = new((string?)null);

    public static ChatResult Fail(string error) => new(error);

    /// <summary>The single answer for rooms that do not exist and rooms the user may not see.</summary>
    public const string RoomNotFound = "Room not found.";

    public const string MessageNotFound = "Message not found.";
}

public sealed record ChatResult<T>(T? Value, string? Error) : ChatResult(Error)
{
    public static ChatResult<T> Success(T value) => new(value, null);

    public static new ChatResult<T> Fail(string error) => new(default, error);
}
