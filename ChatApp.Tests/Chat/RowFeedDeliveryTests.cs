using System.Collections.Concurrent;
using System.Text;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Chat;

/// <summary>
/// Big rooms' row feeds on Kestrel, through real circuits (the load driver's client): a new row reaches a reader over
/// the tab's feed and its circuit sends no render for it; the writer's own tab still renders it; when the feed ends
/// the circuit renders every row again.
/// </summary>
[Trait("Cost", "http")]
public sealed class RowFeedDeliveryTests : BigRoomAppTests
{
    [Fact]
    public async Task A_new_row_reaches_a_reader_over_the_feed_and_the_readers_circuit_renders_nothing_for_it()
    {
        var (writer, reader, rendered) = await OpenWithFeedAsync();
        var rowsBefore = reader.RowsReceived;

        var seen = BigRoomApp.SeenAsync(reader, "over the feed");
        await writer.SendMessageAsync("over the feed");
        await seen.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(rowsBefore + 1, reader.RowsReceived);
        Assert.DoesNotContain(rendered, batch => batch.Contains("over the feed", StringComparison.Ordinal));
        // The writer's own tab shows its message at once, rendered by its circuit: authors are not sent their rows.
        Assert.Equal(0, writer.RowsReceived);
        Assert.Null(reader.Error);
    }

    [Fact]
    public async Task A_live_window_of_carried_rows_sends_the_reader_no_row_twice()
    {
        var (writer, reader, rendered) = await OpenWithFeedAsync();
        var rowsBefore = reader.RowsReceived;

        const int count = RoomTimeline.LiveWindow + 10;
        for (var i = 1; i <= count; i++)
        {
            var seen = BigRoomApp.SeenAsync(reader, $"row {i} of the window");
            await writer.SendMessageAsync($"row {i} of the window");
            await seen.WaitAsync(TimeSpan.FromSeconds(15));
        }

        // Every row came once, over the feed; the list rendered (to let go of what the live window dropped) without
        // sending any of them again. Before, it took the carried rows over every 50, sending each row a second time.
        Assert.Equal(rowsBefore + count, reader.RowsReceived);
        // The circuit takes carried rows in up to a second late (Chat:LiveRowsCircuitWait): its render may follow.
        await Eventually(() => !rendered.IsEmpty);
        Assert.DoesNotContain(rendered, batch => batch.Contains("of the window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_feed_ends_the_circuit_renders_new_rows_again()
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader", connectRowFeed: false);
        await BigRoomApp.LiveAsync(writer, reader);
        using var socket = await reader.OpenWebSocketAsync(await reader.RowFeedAddress.WaitAsync(TimeSpan.FromSeconds(15)));
        await Eventually(() => Big.App.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>().FeedCount == 1);
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Eventually(() => Big.App.GetRequiredService<ChatApp.Components.Pages.Chat.LiveRows>().FeedCount == 0);

        var seen = BigRoomApp.SeenAsync(reader, "after the feed closed");
        await writer.SendMessageAsync("after the feed closed");
        await seen.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, reader.RowsReceived);
    }

    /// <summary>A writer's tab and a reader's, live, the reader's feed open; the text of every render batch the reader gets from now.</summary>
    private async Task<(LoadDriver.CircuitClient Writer, LoadDriver.CircuitClient Reader, ConcurrentQueue<string> Rendered)> OpenWithFeedAsync()
    {
        var (_, writer) = await Big.OpenAsync("Writer");
        var (_, reader) = await Big.OpenAsync("Reader");
        await BigRoomApp.LiveAsync(writer, reader);
        await Eventually(() => reader.RowFeedOpen);
        var rendered = new ConcurrentQueue<string>();
        reader.BatchReceived += batch => rendered.Enqueue(Encoding.UTF8.GetString(batch.Data));
        return (writer, reader, rendered);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
