namespace ChatApp.Chat;

/// <summary>
/// The thread one tab shows beside its room: the root and its replies in order, without duplicates, following the
/// room's live events (replies, edits, deletions, reactions) and catching up by sequence after a reconnect.
/// </summary>
public sealed class OpenThread(ThreadService threads, string meId, ThreadView view)
{
    private readonly List<ChatMessage> replies = [.. view.Replies];

    public ChatMessage Root { get; private set; } = view.Root;

    public long RootId => Root.Id;

    public int RoomId => Root.RoomId;

    /// <summary>Oldest first; the same list, changed in place.</summary>
    public IReadOnlyList<ChatMessage> Replies => replies;

    public bool HasOlder { get; private set; } = view.HasOlder;

    /// <summary>The reply a search hit or a mention opened the thread at.</summary>
    public long? Highlight { get; set; }

    /// <summary>The newest sequence shown: the root's when there are no replies yet.</summary>
    public long LastSequence => replies.Count == 0 ? Root.Sequence : replies[^1].Sequence;

    /// <summary>Applies a room event; true when the thread changed.</summary>
    public bool Apply(RoomEvent roomEvent)
    {
        if (roomEvent.RoomId != RoomId)
        {
            return false;
        }
        switch (roomEvent)
        {
            case MessagePosted { Message: var message } when message.ThreadRootId == RootId:
                MessageOrder.Merge(replies, [message]);
                return true;
            case MessageEdited { Message: var edited }:
                return Change(edited.Sequence, m => m with { Text = edited.Text, EditedAt = edited.EditedAt });
            case MessageDeleted deleted:
                return Change(deleted.Sequence, m => m with { Text = "", IsDeleted = true, RemovedByModerator = deleted.ByModerator, Attachments = [] });
            case ReactionsChanged reacted:
                return Change(reacted.Sequence, m => m with { Reactions = reacted.Reactions });
            case ThreadChanged changed when changed.RootId == RootId:
                Root = Root with { Thread = changed.Summary };
                return true;
            default:
                return false;
        }
    }

    /// <summary>The reader's own reply shows at once, before its event arrives.</summary>
    public void Sent(ChatMessage reply) => MessageOrder.Merge(replies, [reply]);

    /// <summary>Reads the replies that arrived after the newest one shown (a reconnect); true when any came.</summary>
    public async Task<bool> CatchUpAsync()
    {
        var missed = await threads.GetRepliesAfterAsync(meId, RoomId, RootId, LastSequence);
        MessageOrder.Merge(replies, missed);
        return missed.Count > 0;
    }

    public async Task<bool> LoadOlderAsync()
    {
        if (!HasOlder || replies.Count == 0)
        {
            return false;
        }
        var older = await threads.GetRepliesBeforeAsync(meId, RoomId, RootId, replies[0].Sequence);
        HasOlder = older.Count >= ThreadService.PageSize;
        MessageOrder.Merge(replies, older);
        return older.Count > 0;
    }

    private bool Change(long sequence, Func<ChatMessage, ChatMessage> change)
    {
        if (sequence == Root.Sequence)
        {
            Root = change(Root);
            return true;
        }
        return MessageOrder.Replace(replies, sequence, change);
    }
}
