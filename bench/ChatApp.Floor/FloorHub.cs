using Microsoft.AspNetCore.SignalR;

namespace ChatApp.Floor;

/// <summary>A connection signs in with its token on connect, joins its room, and sends; it receives only what the server sends it.</summary>
public sealed class FloorHub(Rooms rooms) : Hub
{
    public override Task OnConnectedAsync()
    {
        var token = Context.GetHttpContext()?.Request.Query["token"].ToString();
        if (token is null || !rooms.TryUser(token, out var user))
        {
            Context.Abort();
            return Task.CompletedTask;
        }
        Context.Items["user"] = user;
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        rooms.Leave(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public void Join(string room)
    {
        if (Context.Items["user"] is string user && rooms.IsMember(room, user))
        {
            rooms.Join(room, Context.ConnectionId, user);
        }
    }

    public async Task Send(string room, string text)
    {
        if (Context.Items["user"] is not string user || !rooms.IsMember(room, user))
        {
            return;
        }
        var stored = await rooms.Store.AppendAsync(room, user, text);
        // Rendered once: the bytes every reader gets (a row of ChatApp's HTML is ~2,000 characters).
        var row = rooms.Render(stored);
        await Clients.Clients(rooms.Recipients(room)).SendAsync("message", row);
    }
}
