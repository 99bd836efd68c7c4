using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Bench;

/// <summary>
/// S2 against the ASP.NET Core floor (bench/ChatApp.Floor), the way bench/peer/driver.js drives the Socket.IO peer:
/// N SignalR connections in one room, one message every 1/rate s from a rotating sender, a warm-up (30 s), then the
/// measured window; latency from the moment the driver sends to the moment each reader's connection hands it over.
/// The result has the peer's fields, so the report sets it beside ChatApp and the peers.
/// </summary>
public static class FloorFanOut
{
    private const string Room = "team-0";

    public static async Task<object> RunAsync(Uri server, int users, double rate, TimeSpan duration, TimeSpan warmUp, string? trustedCertificate, TextWriter log)
    {
        var trust = trustedCertificate is null ? null : TrustedCertificate.Handler(trustedCertificate);
        var handler = new SocketsHttpHandler();
        trust?.Invoke(handler);
        using var http = new HttpClient(handler) { BaseAddress = server };
        var clock = Stopwatch.StartNew();
        var connections = await ConnectAllAsync(http, server, users, trustedCertificate);
        log.WriteLine($"connected {connections.Count} in {clock.Elapsed.TotalSeconds:0.0} s");

        var sent = new ConcurrentDictionary<string, double>();
        var latencies = new ConcurrentBag<double>();
        var received = 0L;
        var measuring = false;
        foreach (var connection in connections)
        {
            connection.On<string>("message", row =>
            {
                var at = clock.Elapsed.TotalMilliseconds;
                var start = row.IndexOf("<p>", StringComparison.Ordinal) + 3;
                var token = row[start..row.IndexOf(' ', start)];
                if (sent.TryGetValue(token, out var t))
                {
                    Interlocked.Increment(ref received);
                    if (Volatile.Read(ref measuring))
                    {
                        latencies.Add(at - t);
                    }
                }
            });
        }

        await SendAsync(connections, rate, warmUp, "w", sent, clock);   // warm-up, as for ChatApp
        await WaitAsync(() => Interlocked.Read(ref received) >= sent.Count * (long)connections.Count, TimeSpan.FromSeconds(30));
        sent.Clear();
        Interlocked.Exchange(ref received, 0);
        Volatile.Write(ref measuring, true);
        var before = await StatsAsync(http);
        using var driver = Process.GetCurrentProcess();
        var driverBefore = driver.TotalProcessorTime;
        var started = clock.Elapsed;
        var count = await SendAsync(connections, rate, duration, "f", sent, clock);
        var window = (clock.Elapsed - started).TotalSeconds;
        var expected = (long)count * connections.Count;
        await WaitAsync(() => Interlocked.Read(ref received) >= expected, TimeSpan.FromSeconds(30));
        var elapsed = (clock.Elapsed - started).TotalSeconds;
        var after = await StatsAsync(http);
        driver.Refresh();
        var driverUsed = (driver.TotalProcessorTime - driverBefore).TotalSeconds;
        var delivered = Interlocked.Read(ref received);
        var latency = Stats.Summarize(latencies);
        var serverCpu = after.CpuSeconds - before.CpuSeconds;
        log.WriteLine($"floor S2 N={users}: p50 {latency.P50Ms:0.0} ms, p99 {latency.P99Ms:0.0} ms, lost {expected - delivered}, CPU {100 * serverCpu / elapsed:0}%, {1e6 * serverCpu / Math.Max(1, delivered):0.0} µs/delivery");
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        return new
        {
            scenario = "S2",
            peer = "aspnetcore-floor",
            users,
            messagesPerSecond = rate,
            warmUpSeconds = warmUp.TotalSeconds,
            messages = count,
            durationSeconds = window,
            expectedDeliveries = expected,
            deliveries = delivered,
            lost = expected - delivered,
            deliveriesPerSecond = delivered / window,
            latency,
            serverCpuPercent = 100 * serverCpu / elapsed,
            serverCpuMicrosecondsPerDelivery = 1e6 * serverCpu / Math.Max(1, delivered),
            driverCpuPercent = 100 * driverUsed / elapsed,
            serverRssBytes = after.RssBytes,
            store = after.Store,
            storedMessages = after.StoredMessages,
        };
    }

    private static async Task<List<HubConnection>> ConnectAllAsync(HttpClient http, Uri server, int users, string? trustedCertificate)
    {
        var connections = new HubConnection[users];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < users)
            {
                var session = await (await http.PostAsync($"/session?user=user{i}&room={Room}", null)).Content.ReadFromJsonAsync<Session>();
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(server, $"/hub?token={Uri.EscapeDataString(session!.Token)}"), options =>
                    {
                        options.Transports = HttpTransportType.WebSockets;
                        options.SkipNegotiation = true;
                        if (trustedCertificate is not null)
                        {
                            options.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = TrustedCertificate.Callback(trustedCertificate);
                        }
                    })
                    .AddMessagePackProtocol()
                    .Build();
                await connection.StartAsync();
                await connection.InvokeAsync("Join", Room);
                connections[i] = connection;
            }
        }));
        return [.. connections];
    }

    /// <summary>Sends rate messages a second for the duration, each from the next connection in turn, without waiting for delivery.</summary>
    private static async Task<int> SendAsync(List<HubConnection> connections, double rate, TimeSpan duration, string prefix, ConcurrentDictionary<string, double> sent, Stopwatch clock)
    {
        var count = (int)Math.Floor(rate * duration.TotalSeconds);
        var started = clock.Elapsed.TotalMilliseconds;
        for (var m = 0; m < count; m++)
        {
            var due = started + 1000 * m / rate;
            if (due > clock.Elapsed.TotalMilliseconds)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(due - clock.Elapsed.TotalMilliseconds));
            }
            var token = $"{prefix}{m}z";
            sent[token] = clock.Elapsed.TotalMilliseconds;
            _ = connections[m % connections.Count].SendAsync("Send", Room, $"{token} fan-out message {m}");
        }
        return count;
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!done() && waited.Elapsed < limit)
        {
            await Task.Delay(50);
        }
    }

    private static async Task<ServerStats> StatsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<ServerStats>("/stats"))!;

    private sealed record Session(string Token);

    private sealed record ServerStats(long RssBytes, long HeapUsedBytes, double CpuSeconds, int Sockets, string? Store, long StoredMessages);
}
