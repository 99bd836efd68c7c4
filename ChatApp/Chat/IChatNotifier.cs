namespace ChatApp.Chat;

/// <summary>Who receives events: a live circuit of a signed-in user, until it is revoked.</summary>
public interface IChatRecipient
{
    string UserId { get; }

    /// <summary>False once the circuit's session was revoked; nothing is delivered after that.</summary>
    bool IsActive { get; }
}

/// <summary>
/// Delivers room and user events to subscribed circuits. The in-process implementation is the default;
/// a multi-server backplane replaces it behind this interface.
/// </summary>
public interface IChatNotifier
{
    IDisposable SubscribeToRoom(int roomId, IChatRecipient recipient, Func<RoomEvent, Task> handler);

    IDisposable SubscribeToUser(IChatRecipient recipient, Func<UserEvent, Task> handler);

    void Publish(RoomEvent roomEvent);

    void Publish(UserEvent userEvent);
}
