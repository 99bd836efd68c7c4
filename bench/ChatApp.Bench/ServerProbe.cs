using System.Net.Http.Json;

namespace ChatApp.Bench;

public sealed record RuntimeSample(long RssBytes, long GcHeapBytes, long GcHeapSizeBytes, long TotalAllocatedBytes, int Gen0, int Gen1, int Gen2, double CpuSeconds, int LiveCircuits, int ProcessId = 0, double GcPauseTotalMs = 0,
    GcPause[]? GcPauses = null, long GcCommittedBytes = 0, long? OpenSslBytes = null, double JitMs = 0, int ThreadPoolThreads = 0, long ThreadPoolPending = 0,
    long GcPinnedObjects = 0, GcGeneration[]? GcGenerations = null);

/// <summary>One generation of a server's heap after its last collection: live bytes and the free space between them.</summary>
public sealed record GcGeneration(long SizeBytes, long FragmentationBytes);

/// <summary>One stop-the-world pause on a server: when it began (Unix ms), how long, which generation, what kind (GcPauseLog.Pause).</summary>
public sealed record GcPause(long AtUnixMs, double Ms, int Generation, string? Kind = null);

/// <summary>
/// Reads the servers' /diagnostics/runtime (enabled for benchmarks with Chat:Diagnostics=true); with several
/// servers (a cluster run), the sample is their sum.
/// </summary>
public sealed class ServerProbe(IReadOnlyList<Uri> servers, Action<SocketsHttpHandler>? connection = null) : IDisposable
{
    private readonly HttpClient[] clients = [.. servers.Select(uri => new HttpClient(Handler(connection)) { BaseAddress = uri, Timeout = TimeSpan.FromMinutes(2) })];

    private static SocketsHttpHandler Handler(Action<SocketsHttpHandler>? connection)
    {
        var handler = new SocketsHttpHandler();
        connection?.Invoke(handler);
        return handler;
    }

    /// <summary>The servers' figures; with <paramref name="pausesSince"/> (Unix ms), also every collection pause since then.</summary>
    public async Task<RuntimeSample> SampleAsync(bool collect = false, long? pausesSince = null)
    {
        var query = $"collect={(collect ? "true" : "false")}" + (pausesSince is { } since ? $"&pausesSince={since}" : "");
        var samples = await Task.WhenAll(clients.Select(async http =>
            (await http.GetFromJsonAsync<RuntimeSample>($"/diagnostics/runtime?{query}"))!));
        return samples.Aggregate((a, b) => new RuntimeSample(a.RssBytes + b.RssBytes, a.GcHeapBytes + b.GcHeapBytes, a.GcHeapSizeBytes + b.GcHeapSizeBytes,
            a.TotalAllocatedBytes + b.TotalAllocatedBytes, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.CpuSeconds + b.CpuSeconds, a.LiveCircuits + b.LiveCircuits, 0, a.GcPauseTotalMs + b.GcPauseTotalMs,
            [.. a.GcPauses ?? [], .. b.GcPauses ?? []], a.GcCommittedBytes + b.GcCommittedBytes,
            a.OpenSslBytes is null && b.OpenSslBytes is null ? null : (a.OpenSslBytes ?? 0) + (b.OpenSslBytes ?? 0),
            a.JitMs + b.JitMs, a.ThreadPoolThreads + b.ThreadPoolThreads, a.ThreadPoolPending + b.ThreadPoolPending,
            a.GcPinnedObjects + b.GcPinnedObjects, Sum(a.GcGenerations, b.GcGenerations)));
    }

    private static GcGeneration[]? Sum(GcGeneration[]? a, GcGeneration[]? b) =>
        a is null || b is null ? a ?? b
            : [.. a.Zip(b, (x, y) => new GcGeneration(x.SizeBytes + y.SizeBytes, x.FragmentationBytes + y.FragmentationBytes))];

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
