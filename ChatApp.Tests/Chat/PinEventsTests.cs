using System.Text.Json;

namespace ChatApp.Chat;

/// <summary>The pin and saved events cross servers through the Redis backplane as their base types, by type name.</summary>
[Trait("Cost", "service")]
public sealed class PinEventsTests
{
    [Fact]
    public void A_pin_change_survives_the_trip_as_a_room_event()
    {
        RoomEvent sent = new PinChanged(7, 42, 3, Pinned: true);

        var received = JsonSerializer.Deserialize<RoomEvent>(JsonSerializer.Serialize(sent));

        Assert.Equal(sent, received);
    }

    [Fact]
    public void A_saved_change_survives_the_trip_as_a_user_event()
    {
        UserEvent sent = new SavedChanged("bob", 7, 3, Saved: false);

        var received = JsonSerializer.Deserialize<UserEvent>(JsonSerializer.Serialize(sent));

        Assert.Equal(sent, received);
    }
}
