using ChatApp.Components.Layout;

namespace ChatApp.Components;

[Trait("Cost", "component")]
public sealed class AppShellTests
{
    [Fact]
    public void Until_toggled_the_room_drawer_follows_the_viewport()
    {
        var shell = new AppShell();
        shell.AttachRooms();

        Assert.Equal("rooms-auto", shell.RoomsState);
        Assert.True(shell.RoomsOpen);
        shell.ViewportKnown(compact: true);
        Assert.Equal("rooms-auto", shell.RoomsState);
        Assert.False(shell.RoomsOpen);
    }

    [Theory]
    [InlineData(true, "rooms-open")]
    [InlineData(false, "rooms-closed")]
    public void The_toggle_flips_what_is_on_screen_and_choosing_a_room_hands_back_to_the_viewport(bool compact, string toggled)
    {
        var shell = new AppShell();
        shell.AttachRooms();
        shell.ViewportKnown(compact);
        var changes = 0;
        shell.Changed += () => changes++;

        shell.ToggleRooms();
        Assert.Equal(toggled, shell.RoomsState);
        Assert.Equal(compact, shell.RoomsOpen);

        shell.Navigated();
        Assert.Equal("rooms-auto", shell.RoomsState);
        Assert.Equal(!compact, shell.RoomsOpen);
        Assert.Equal(2, changes);
    }

    [Fact]
    public void Leaving_the_chat_page_removes_the_toggle_and_forgets_the_choice()
    {
        var shell = new AppShell();
        shell.AttachRooms();
        shell.CloseRooms();

        shell.DetachRooms();

        Assert.False(shell.HasRooms);
        Assert.Equal("rooms-auto", shell.RoomsState);
    }

    [Fact]
    public async Task MudBlazor_hosts_are_asked_for_once_and_ready_once_rendered()
    {
        var hosts = new MudHosts();
        var requests = 0;
        hosts.Requested += () => requests++;
        Assert.False(hosts.IsRequested);

        var first = hosts.EnsureAsync();
        var second = hosts.EnsureAsync();

        Assert.True(hosts.IsRequested);
        Assert.Equal(1, requests);
        Assert.False(first.IsCompleted);
        hosts.Rendered();
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(hosts.EnsureAsync().IsCompletedSuccessfully);
    }
}
