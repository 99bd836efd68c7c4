using System.Diagnostics;
using System.Net;
using ChatApp.Admin;
using ChatApp.Security;

namespace Microsoft.AspNetCore.Routing;

public static class DiagnosticsEndpoints
{
    /// <summary>
    /// GET /diagnostics/runtime: process memory, GC heap and its pauses, and live circuits as JSON, for benchmarks and
    /// monitoring. Off unless <c>Chat:Diagnostics</c> is true, and answered on loopback only.
    /// </summary>
    public static IEndpointRouteBuilder MapRuntimeDiagnostics(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Chat:Diagnostics"))
        {
            return endpoints;
        }
        var pauses = new GcPauseLog();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(pauses.Dispose);
        endpoints.MapGet("/diagnostics/runtime", (HttpContext context, LiveCircuits circuits, bool? collect, long? pausesSince) =>
        {
            if (context.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip))
            {
                return Results.NotFound();
            }
            if (collect == true)
            {
                // For measuring what is really retained: a full, compacting collection first.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
            using var process = Process.GetCurrentProcess();
            var info = GC.GetGCMemoryInfo();
            return Results.Json(new
            {
                rssBytes = process.WorkingSet64,
                gcHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
                gcHeapSizeBytes = info.HeapSizeBytes,
                // Memory the collector holds from the OS (heap, free space in its regions, bookkeeping): the part of
                // the RSS that is the managed heap's; the rest of the RSS is native (TLS, sockets, the runtime itself).
                gcCommittedBytes = info.TotalCommittedBytes,
                // Where the collector's bytes are after its last collection: per generation (0, 1, 2, large objects,
                // pinned objects) the live bytes and the free space between them (their sum is the heap's
                // fragmentation), which only a compaction gives back (and never on the pinned-object heap).
                gcPinnedObjects = info.PinnedObjectsCount,
                gcGenerations = info.GenerationInfo.ToArray().Select(generation => new
                {
                    sizeBytes = generation.SizeAfterBytes,
                    fragmentationBytes = generation.FragmentationAfterBytes,
                }),
                // What OpenSSL holds (TLS state per connection), counted only when the process was started with
                // DOTNET_OPENSSL_MEMORY_DEBUG=1; null otherwise.
                openSslBytes = OpenSslMemory.AllocatedBytes(),
                totalAllocatedBytes = GC.GetTotalAllocatedBytes(),
                gen0 = GC.CollectionCount(0),
                gen1 = GC.CollectionCount(1),
                gen2 = GC.CollectionCount(2),
                // Time the runtime was paused for collections since start, and the longest pause of the last one.
                gcPauseTotalMs = GC.GetTotalPauseDuration().TotalMilliseconds,
                gcLastPauseMs = info.PauseDurations.ToArray().Sum(pause => pause.TotalMilliseconds),
                // What the collector may do to cut a pause short (Chat:GcLatencyMode).
                gcLatencyMode = System.Runtime.GCSettings.LatencyMode.ToString(),
                cpuSeconds = process.TotalProcessorTime.TotalSeconds,
                // Time spent compiling methods since start (tiered compilation keeps recompiling hot code for a while).
                jitMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
                threadPoolThreads = ThreadPool.ThreadCount,
                threadPoolPending = ThreadPool.PendingWorkItemCount,
                liveCircuits = circuits.All.Count,
                // For attaching diagnostics tools (the S1 benchmark's heap snapshot: dotnet-gcdump -p).
                processId = Environment.ProcessId,
                // With ?pausesSince=<Unix ms>: each collection pause that began since then (GcPauseLog), oldest first.
                gcPauses = pausesSince is { } since
                    ? pauses.Since(since).Select(pause => new
                    {
                        atUnixMs = pause.StartedAtUnixMs,
                        ms = Math.Round(pause.Milliseconds, 3),
                        generation = pause.Generation,
                        kind = pause.Kind,
                    })
                    : null,
            });
        });
        return endpoints;
    }
}

/// <summary>
/// The bytes OpenSSL has allocated, as counted by .NET's OpenSSL shim when the process starts with
/// <c>DOTNET_OPENSSL_MEMORY_DEBUG=1</c>. The runtime exposes the counter only to private reflection (dotnet/runtime,
/// System.Security.Cryptography.Native's README: <c>Interop.Crypto.GetOpenSslAllocatedMemory</c>), so this is for
/// benchmarks, never logic.
/// </summary>
internal static class OpenSslMemory
{
    private static readonly System.Reflection.MethodInfo? allocatedMemory = Find();

    public static long? AllocatedBytes() => allocatedMemory?.Invoke(null, null) is { } bytes ? Convert.ToInt64(bytes) : null;

    private static System.Reflection.MethodInfo? Find()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_OPENSSL_MEMORY_DEBUG") != "1" || !OperatingSystem.IsLinux())
        {
            return null;
        }
        return typeof(System.Security.Cryptography.Aes).Assembly.GetType("Interop+Crypto")?.GetMethod(
            "GetOpenSslAllocatedMemory", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);
    }
}
