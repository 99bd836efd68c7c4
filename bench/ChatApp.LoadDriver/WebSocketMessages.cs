using System.Net.WebSockets;

namespace ChatApp.LoadDriver;

/// <summary>Reading a WebSocket the way a browser hands its messages to script: one whole message at a time.</summary>
public static class WebSocketMessages
{
    /// <summary>
    /// Reads one whole message into <paramref name="buffer"/>, which grows (doubling) when the message is larger; returns
    /// the buffer to read it from and keep for the next one, the message's length and its type.
    /// </summary>
    public static async ValueTask<(byte[] Buffer, int Count, WebSocketMessageType Type)> ReceiveAsync(
        WebSocket socket, byte[] buffer, CancellationToken cancellationToken = default)
    {
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (count == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        return (buffer, count, result.MessageType);
    }
}
