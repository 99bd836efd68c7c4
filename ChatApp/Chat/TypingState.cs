namespace ChatApp.Chat;

/// <summary>Who is typing in the open room, each until their typing signal times out.</summary>
public sealed class TypingState(TimeProvider time)
{
    private readonly Dictionary<string, (string Name, DateTimeOffset Until)> typing = [];

    public bool IsEmpty => typing.Count == 0;

    public void Typing(string userId, string displayName, TimeSpan timeout) => typing[userId] = (displayName, time.GetUtcNow() + timeout);

    /// <summary>They sent their message (or left): no longer typing. Returns whether they were.</summary>
    public bool Stop(string userId) => typing.Remove(userId);

    public void Clear() => typing.Clear();

    /// <summary>Forgets the timed-out ones; returns whether any were.</summary>
    public bool Prune()
    {
        var now = time.GetUtcNow();
        var expired = typing.Where(t => t.Value.Until <= now).Select(t => t.Key).ToList();
        foreach (var userId in expired)
        {
            typing.Remove(userId);
        }
        return expired.Count > 0;
    }

    public string? Text
    {
        get
        {
            var now = time.GetUtcNow();
            var names = typing.Values.Where(t => t.Until > now).Select(t => t.Name).Order().ToList();
            return names.Count switch
            {
                0 => null,
                1 => $"{names[0]} is typing…",
                2 => $"{names[0]} and {names[1]} are typing…",
                _ => "Several people are typing…",
            };
        }
    }
}
