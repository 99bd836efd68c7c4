using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ChatApp.Chat;
using ChatApp.Security;
using Microsoft.Extensions.Options;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// Every tab's row feed on this server (<see cref="LiveRowFeed"/>), the one-time tickets that attach a browser's socket
/// to its tab's feed, and the fan-out that renders a new row once per kind of reader (<see cref="MessageRows"/>) and
/// queues the same bytes on each of their feeds.
/// </summary>
public sealed class LiveRows(MessageRows rows, IOptions<ChatOptions> options, TimeProvider time, ChatMetrics metrics) : ILiveRows
{
    private static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(1);

    private readonly IOptions<ChatOptions> options = options;
    private readonly MessageRows rows = rows;
    private readonly ChatMetrics metrics = metrics;
    private readonly ConcurrentDictionary<IChatRecipient, (LiveRowFeed Feed, MessageRowContext Context)> feeds = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, (LiveRowFeed Feed, CircuitSession Session, DateTimeOffset Expires)> tickets = new(StringComparer.Ordinal);

    /// <summary>The last message shown in each room, for grouping a new row under it; rows are carried only when it is known.</summary>
    private readonly ConcurrentDictionary<int, ChatMessage> lastShown = new();

    public bool Enabled => options.Value.LiveRows;

    public int FeedCount => feeds.Count;

    /// <summary>
    /// A feed for <paramref name="session"/>'s tab, whose rows render as <paramref name="context"/>'s reader sees them,
    /// and the ticket its browser presents once to attach. The feed ends when the session is revoked.
    /// </summary>
    public (LiveRowFeed Feed, string Ticket) Open(CircuitSession session, MessageRowContext context)
    {
        var feed = new LiveRowFeed(session, options.Value.LiveRowsQueue);
        var ticket = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        feeds[session] = (feed, context);
        tickets[ticket] = (feed, session, time.GetUtcNow() + TicketLifetime);
        session.Revoked += feed.End;
        feed.Ended += () =>
        {
            session.Revoked -= feed.End;
            feeds.TryRemove(new KeyValuePair<IChatRecipient, (LiveRowFeed, MessageRowContext)>(session, (feed, context)));
            tickets.TryRemove(ticket, out _);
        };
        return (feed, ticket);
    }

    /// <summary>
    /// The feed <paramref name="ticket"/> was issued for, when <paramref name="user"/> is that tab's user in the same
    /// sign-in session and the session still stands; the ticket is used up either way.
    /// </summary>
    public LiveRowFeed? Claim(string? ticket, ClaimsPrincipal user)
    {
        if (ticket is null || !tickets.TryRemove(ticket, out var issued))
        {
            return null;
        }
        var session = issued.Session;
        var sameSession = user.FindFirstValue(ClaimTypes.NameIdentifier) == session.UserId
            && SessionKeys.SessionIdOf(user) == session.SessionId;
        return sameSession && session.IsActive && time.GetUtcNow() < issued.Expires ? issued.Feed : null;
    }

    public ILiveRowFanOut? Begin(ChatMessage message)
    {
        var previous = lastShown.GetValueOrDefault(message.RoomId);
        if (previous is not null && previous.Sequence >= message.Sequence)
        {
            return null; // Late or repeated: the circuits place it.
        }
        lastShown[message.RoomId] = message;
        return feeds.IsEmpty || !Enabled ? null : new FanOut(this, message, previous);
    }

    public ILiveRowFanOut? Begin(UserTyping typing) => feeds.IsEmpty || !Enabled ? null : new TypingFanOut(this, typing);

    /// <summary>
    /// Who is typing, for the browsers whose feed shows the room: "typing {room} {user} {timeout ms}" and the name on
    /// the next line. The browser shows it until the timeout, the user's next row, or a "stopped" frame.
    /// </summary>
    private sealed class TypingFanOut(LiveRows owner, UserTyping typing) : ILiveRowFanOut
    {
        private ReadOnlyMemory<byte>? frame;

        public void Offer(IChatRecipient recipient)
        {
            if (owner.feeds.TryGetValue(recipient, out var entry) && entry.Feed.CanCarry(typing))
            {
                entry.Feed.Send(frame ??= Encoding.UTF8.GetBytes(
                    $"typing {typing.RoomId} {typing.UserId} {(long)owner.options.Value.TypingTimeout.TotalMilliseconds}\n{typing.DisplayName}"));
            }
        }
    }

    /// <summary>
    /// The readers of one new row, grouped by what their row looks like: one render and one frame per group, made when
    /// the group's first reader is offered the row. Each reader's row goes into its socket as soon as that reader passed
    /// the notifier's check, not after the whole room was checked (the checks of 1,000 readers took 3 ms before the
    /// first row left; bench/FINDINGS.md, seventeenth round). A row starts with "{room} {sequence} {author}", so that the
    /// browser stops showing its author typing; a reader whose feed shows the room but does not carry the row (a
    /// mention, the first row of a day or since the server started) is sent "stopped {room} {author}" instead.
    /// </summary>
    private sealed class FanOut(LiveRows owner, ChatMessage message, ChatMessage? previous) : ILiveRowFanOut
    {
        private readonly List<Group> groups = [];
        private ReadOnlyMemory<byte>? stopped;

        private sealed record Group(bool CanModerate, TimeZoneInfo TimeZone, int MemberCount, bool Carried, bool Continued, MessageRowContext Context)
        {
            /// <summary>The row as this kind of reader sees it, ready to send; made when the first of them takes it.</summary>
            public ReadOnlyMemory<byte>? Frame { get; set; }
        }

        public void Offer(IChatRecipient recipient)
        {
            if (!owner.feeds.TryGetValue(recipient, out var entry) || !entry.Feed.IsConnected || entry.Feed.RoomId != message.RoomId)
            {
                return;
            }
            var group = GroupOf(entry.Context);
            if (group.Carried && entry.Feed.TryCarry(message))
            {
                entry.Feed.Send(group.Frame ??= Render(group));
                owner.metrics.MessageRendered(message.CreatedAt); // The circuit does not count a carried row.
            }
            else if (message.AuthorId is { } author && author != recipient.UserId)
            {
                entry.Feed.Send(stopped ??= Encoding.UTF8.GetBytes($"stopped {message.RoomId} {author}\n"));
            }
        }

        private Group GroupOf(MessageRowContext context)
        {
            foreach (var group in groups)
            {
                if (group.CanModerate == context.CanModerate && group.TimeZone == context.TimeZone && group.MemberCount == context.Members.Count)
                {
                    return group;
                }
            }
            // A row that starts a new day needs the day divider above it: the circuit renders that one. So does the
            // first row since the server started, which does not know the row above it.
            var sameDay = previous is not null && Day(previous, context.TimeZone) == Day(message, context.TimeZone);
            var created = new Group(context.CanModerate, context.TimeZone, context.Members.Count, sameDay,
                sameDay && MessageBlock.Continues(previous!, message), context);
            groups.Add(created);
            return created;
        }

        private ReadOnlyMemory<byte> Render(Group group)
        {
            var html = owner.rows.Html(message, group.Context, group.Continued, highlighted: false).Value;
            return Encoding.UTF8.GetBytes($"{message.RoomId} {message.Sequence} {message.AuthorId ?? "-"}\n{html}");
        }

        private static DateTime Day(ChatMessage message, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(message.CreatedAt, zone).Date;
    }
}
