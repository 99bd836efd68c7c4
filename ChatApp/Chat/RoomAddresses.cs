using ChatApp.Data;

namespace ChatApp.Chat;

/// <summary>
/// The room a chat address names for a reader: /chat/{name}, /dm/{person} (an existing conversation only; starting
/// one is the reader's action), /dm/{id} for groups, or /chat (the room last opened, else #general).
/// </summary>
public sealed class RoomAddresses(RoomService rooms, RoomMembership membership)
{
    /// <summary>The room shown, or none; <see cref="NoConversationWith"/> when a /dm link names someone without a conversation yet.</summary>
    public sealed record Resolved(RoomInfo? Room, RoomPerson? NoConversationWith);

    public async Task<Resolved> ResolveAsync(string userId, string? roomName, string? directTarget)
    {
        if (directTarget is not null)
        {
            if (await rooms.FindPersonByDisplayNameAsync(directTarget) is { } person)
            {
                // Following a link only opens an existing conversation; starting one is the user's action.
                if (await rooms.FindDirectAsync(userId, [person.UserId]) is not { } existing)
                {
                    return new(null, person);
                }
                return new(await membership.GetVisibleRoomAsync(userId, existing), null);
            }
            return new(int.TryParse(directTarget, out var id) && await membership.GetVisibleRoomAsync(userId, id) is { Kind: RoomKind.Direct } group
                ? group
                : null, null);
        }
        if (roomName is not null)
        {
            return new(await membership.FindVisibleRoomByNameAsync(userId, roomName), null);
        }
        var last = await rooms.GetLastOpenedRoomAsync(userId) ?? Data.Room.GeneralRoomId;
        return new(await membership.GetVisibleRoomAsync(userId, last) ?? await membership.GetVisibleRoomAsync(userId, Data.Room.GeneralRoomId), null);
    }
}
