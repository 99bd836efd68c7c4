namespace ChatApp.Chat;

/// <summary>The tab's read markers: shown at once in the sidebar, saved in one write per room every few seconds.</summary>
public sealed partial class ChatTab
{
    /// <summary>How soon the first read after a quiet spell is saved (other tabs and devices clear their badges then).</summary>
    private static readonly TimeSpan ReadMarkerDelay = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<int, long> pendingReads = [];
    private bool readFlushScheduled;
    private long? lastReadFlush;

    /// <summary>
    /// Moves the read marker. The sidebar shows it at once; the database (and the reader's other tabs) get it in one
    /// write per room: 250 ms after a quiet spell, then at most once per <see cref="ChatOptions.ReadMarkerInterval"/>
    /// while messages keep arriving, so a busy room costs each reader a write every few seconds, not one per message.
    /// </summary>
    public void MarkRead(int roomId, long sequence)
    {
        Sidebar.MarkRead(roomId, sequence);
        pendingReads[roomId] = Math.Max(pendingReads.GetValueOrDefault(roomId), sequence);
        if (!readFlushScheduled)
        {
            readFlushScheduled = true;
            _ = FlushReadsLaterAsync();
        }
    }

    private async Task FlushReadsLaterAsync()
    {
        var sinceLast = lastReadFlush is { } last ? time.GetElapsedTime(last) : TimeSpan.MaxValue;
        var interval = options.Value.ReadMarkerInterval;
        await Task.Delay(sinceLast >= interval ? ReadMarkerDelay : Max(ReadMarkerDelay, interval - sinceLast), time);
        try
        {
            await invoke(() =>
            {
                readFlushScheduled = false;
                lastReadFlush = time.GetTimestamp();
                return FlushReadsAsync();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit ended in between; Dispose saved what was pending.
        }
        catch (Exception exception)
        {
            await fail(exception);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private Task FlushReadsAsync()
    {
        if (pendingReads.Count == 0)
        {
            return Task.CompletedTask;
        }
        var reads = pendingReads.Where(read => read.Value > 0).ToList();
        pendingReads.Clear();
        return Task.WhenAll(reads.Select(read => messages.MarkReadAsync(Me.Id, read.Key, read.Value, tabId)));
    }
}
