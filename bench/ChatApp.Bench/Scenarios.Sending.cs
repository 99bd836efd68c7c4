using System.Collections.Concurrent;
using System.Diagnostics;
using ChatApp.LoadDriver;

namespace ChatApp.Bench;

/// <summary>How the scenarios send messages on schedule and watch each recipient render them.</summary>
public sealed partial class Scenarios
{
    /// <summary>Watches for a token in each recipient tab and records send-to-render latency when it arrives.</summary>
    /// <summary>
    /// Deliveries to watch for, and their latencies. With <paramref name="slow"/>, also when each delivery slower than
    /// <see cref="SlowMs"/> was sent and arrived (Stopwatch timestamps), so its wait can be set against the server's pauses.
    /// </summary>
    private sealed class Delivery(ConcurrentBag<double> latencies, ConcurrentBag<(long Sent, long Arrived)>? slow = null)
    {
        /// <summary>S3's target p99: a delivery slower than this is one the tail is made of.</summary>
        public const double SlowMs = 150;

        public long Expected;
        public long Received;

        /// <param name="message">Also collects this message's latencies alone, when given.</param>
        public TaskCompletionSource<long> Expect(IEnumerable<CircuitClient> recipients, string token, ConcurrentBag<double>? message = null)
        {
            var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var tab in recipients)
            {
                Interlocked.Increment(ref Expected);
                tab.Watch(token, arrived => sent.Task.ContinueWith(s =>
                {
                    Interlocked.Increment(ref Received);
                    var latency = Stopwatch.GetElapsedTime(s.Result, arrived).TotalMilliseconds;
                    latencies.Add(latency);
                    message?.Add(latency);
                    if (latency > SlowMs)
                    {
                        slow?.Add((s.Result, arrived));
                    }
                }, TaskContinuationOptions.OnlyOnRanToCompletion));
            }
            return sent;
        }

        public async Task DrainAsync(TimeSpan grace)
        {
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref Received) < Interlocked.Read(ref Expected) && clock.Elapsed < grace)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>
    /// Sends one message from <paramref name="sender"/> at its due time, recording a failure instead of throwing. The
    /// send time is now, when the driver starts the send: waiting for the sender's previous send, typing into the composer
    /// and the submit are all part of the latency a person would see.
    /// </summary>
    private Task SendAsync(CircuitClient sender, string text, TaskCompletionSource<long> sent, Action onError) => Task.Run(async () =>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await sender.SendMessageAsync(text);
            sent.TrySetResult(started);
        }
        catch (Exception exception)
        {
            onError();
            log.WriteLine($"send failed: {exception.Message}");
        }
    });

    private static async Task WaitUntilAsync(Stopwatch clock, TimeSpan due)
    {
        // Read once: between two reads the clock can pass the due time, and a negative delay throws.
        var remaining = due - clock.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
    }
}
