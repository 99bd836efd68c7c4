namespace ChatApp.Chat;

/// <summary>A list of messages kept in sequence order without duplicates (a room's timeline, a thread's replies).</summary>
internal static class MessageOrder
{
    /// <summary>Adds or replaces messages by sequence.</summary>
    public static void Merge(List<ChatMessage> messages, IEnumerable<ChatMessage> incoming)
    {
        foreach (var message in incoming)
        {
            if (messages.Count == 0 || message.Sequence > messages[^1].Sequence)
            {
                messages.Add(message);
                continue;
            }
            var index = IndexOf(messages, message.Sequence);
            if (index >= 0)
            {
                messages[index] = message;
            }
            else
            {
                messages.Insert(~index, message);
            }
        }
    }

    /// <summary>Replaces the message with this sequence by what <paramref name="change"/> makes of it; false when absent.</summary>
    public static bool Replace(List<ChatMessage> messages, long sequence, Func<ChatMessage, ChatMessage> change)
    {
        var index = IndexOf(messages, sequence);
        if (index < 0)
        {
            return false;
        }
        messages[index] = change(messages[index]);
        return true;
    }

    /// <summary>The index of a sequence, or the bitwise complement of where it would go.</summary>
    public static int IndexOf(List<ChatMessage> messages, long sequence)
    {
        var (low, high) = (0, messages.Count - 1);
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var found = messages[middle].Sequence;
            if (found == sequence)
            {
                return middle;
            }
            if (found < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return ~low;
    }
}
