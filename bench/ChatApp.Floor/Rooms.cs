using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;

namespace ChatApp.Floor;

/// <summary>Sessions, room membership and the connections in each room; recipients are checked one by one at delivery.</summary>
public sealed class Rooms(MessageStore store, int payloadBytes)
{
    private readonly ConcurrentDictionary<string, string> sessions = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> members = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> connections = new();
    private readonly ConcurrentDictionary<string, string> roomOf = new();
    private readonly string padding = new('x', Math.Max(0, payloadBytes - 200));

    public MessageStore Store => store;

    public int Connections => roomOf.Count;

    public string SignIn(string user, string room)
    {
        var token = $"{user}.{Guid.NewGuid():N}";
        sessions[token] = user;
        members.GetOrAdd(room, _ => new())[user] = 0;
        store.AddRoom(room);
        return token;
    }

    public bool TryUser(string token, [NotNullWhen(true)] out string? user) => sessions.TryGetValue(token, out user);

    public bool IsMember(string room, string user) => members.TryGetValue(room, out var set) && set.ContainsKey(user);

    public void Join(string room, string connectionId, string user)
    {
        connections.GetOrAdd(room, _ => new())[connectionId] = user;
        roomOf[connectionId] = room;
    }

    public void Leave(string connectionId)
    {
        if (roomOf.TryRemove(connectionId, out var room) && connections.TryGetValue(room, out var inRoom))
        {
            inRoom.TryRemove(connectionId, out _);
        }
    }

    /// <summary>Every connection in the room whose user is a member now: the per-recipient check ChatApp makes at delivery.</summary>
    public List<string> Recipients(string room)
    {
        var recipients = new List<string>();
        if (connections.TryGetValue(room, out var inRoom))
        {
            foreach (var (connectionId, user) in inRoom)
            {
                if (IsMember(room, user))
                {
                    recipients.Add(connectionId);
                }
            }
        }
        return recipients;
    }

    public string Render(StoredMessage message) =>
        new StringBuilder(padding.Length + 256)
            .Append("<div class=\"message\" data-seq=\"").Append(message.Sequence).Append("\"><span class=\"author\">")
            .Append(HtmlEncoder.Default.Encode(message.Author)).Append("</span><p>").Append(HtmlEncoder.Default.Encode(message.Text)).Append("</p><span class=\"pad\">")
            .Append(padding).Append("</span></div>").ToString();
}
