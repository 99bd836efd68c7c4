using System.Diagnostics;
using ChatApp.LoadDriver;

namespace ChatApp.Bench;

public sealed partial class Scenarios
{
    /// <summary>S1: idle signed-in circuits, each on its user's room page; memory per circuit.</summary>
    /// With <paramref name="heapByType"/>, also a heap snapshot (dotnet-gcdump) before and after, and what each
    /// type grew by per circuit; with <paramref name="heapDump"/>, a heap dump (dotnet-dump) after, and the render trees
    /// each kind of component holds per circuit (<see cref="RenderTrees"/>).
    public async Task<object> DensityAsync(int users, int tabsPerUser, int roomSize, bool heapByType = false, int messagesPerRoom = 0, bool heapDump = false)
    {
        using var probe = new ServerProbe(servers, connection);
        var sessions = await SignInAsync(0, users);
        var before = await probe.SampleAsync(collect: true);
        var proxyBefore = ProxyPid is { } proxy ? ProxyMemory.RssBytes(proxy) : (long?)null;
        var snapshot = Path.Combine(Path.GetTempPath(), $"chatapp-s1-{runId}");
        var heapBefore = heapByType ? await HeapSnapshot.CollectAsync(before.ProcessId, snapshot + "-before.gcdump", log) : null;
        var clock = Stopwatch.StartNew();
        var tabs = await OpenTabsAsync([.. Enumerable.Range(0, users * tabsPerUser).Select(i => (sessions[i % users], RoomPath(i % users, roomSize)))]);
        var openSeconds = clock.Elapsed.TotalSeconds;
        // Let every circuit finish its first renders and the server settle before measuring.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var after = await probe.SampleAsync(collect: true);
        var proxyAfter = ProxyPid is { } proxyNow ? ProxyMemory.RssBytes(proxyNow) : (long?)null;
        var live = after.LiveCircuits;
        var heapAfter = heapByType ? await HeapSnapshot.CollectAsync(after.ProcessId, snapshot + "-after.gcdump", log) : null;
        var growth = heapBefore is null || heapAfter is null ? null : HeapSnapshot.Growth(heapBefore, heapAfter);
        var dump = snapshot + "-after.dump";
        var trees = heapDump ? await RenderTrees.CollectAsync(after.ProcessId, dump, log) : default;
        var result = new
        {
            scenario = "S1",
            circuits = tabs.Count,
            liveCircuits = live,
            tabsPerUser,
            users,
            roomSize,
            // S1b: the rooms were seeded with this many messages, so each tab shows them.
            messagesPerRoom,
            openSeconds,
            rssBeforeBytes = before.RssBytes,
            rssAfterBytes = after.RssBytes,
            gcHeapBeforeBytes = before.GcHeapBytes,
            gcHeapAfterBytes = after.GcHeapBytes,
            rssPerCircuitBytes = (after.RssBytes - before.RssBytes) / (double)Math.Max(1, live),
            gcHeapPerCircuitBytes = (after.GcHeapBytes - before.GcHeapBytes) / (double)Math.Max(1, live),
            // What the collector holds from the OS per tab (live heap, its free space and bookkeeping); RSS minus this
            // is native memory (servers before the field existed report 0).
            gcCommittedPerCircuitBytes = (after.GcCommittedBytes - before.GcCommittedBytes) / (double)Math.Max(1, live),
            // Per generation (0, 1, 2, large, pinned) what each grew by per tab after the forced collection: live bytes,
            // and free space between them (in the collector's committed bytes, not in the heap's live bytes).
            gcPinnedObjectsAfter = after.GcPinnedObjects,
            gcGenerationsPerCircuit = after.GcGenerations is not { } generations || before.GcGenerations is not { } earlier ? null
                : generations.Zip(earlier, (now, then) => new
                {
                    sizeBytes = (now.SizeBytes - then.SizeBytes) / (double)Math.Max(1, live),
                    fragmentationBytes = (now.FragmentationBytes - then.FragmentationBytes) / (double)Math.Max(1, live),
                }).ToArray(),
            // What OpenSSL holds per tab (its TLS state), when the server counts it
            // (BENCH_SERVER_ENV=DOTNET_OPENSSL_MEMORY_DEBUG=1); null otherwise.
            // Behind a proxy (BENCH_PROXY=nginx): the proxy's resident memory per tab (master and workers), and the
            // deployment's (app and proxy); null without one.
            proxyRssPerCircuitBytes = proxyAfter - proxyBefore is { } proxyGrown ? proxyGrown / (double)Math.Max(1, live) : (double?)null,
            deploymentRssPerCircuitBytes = proxyAfter - proxyBefore is { } grownToo ? (after.RssBytes - before.RssBytes + grownToo) / (double)Math.Max(1, live) : (double?)null,
            openSslPerCircuitBytes = after.OpenSslBytes - before.OpenSslBytes is { } grown ? grown / (double)Math.Max(1, live) : (double?)null,
            failedTabs = tabs.Count(t => t.Error is not null),
            // What the components' render trees hold (both arrays of each), per circuit; the dump stays in the temp folder.
            renderTrees = trees.Totals is not { } treeTotals ? null : new
            {
                dump,
                renderers = trees.Renderers,
                bytesPerCircuit = treeTotals.Sum(t => t.Bytes) / (double)Math.Max(1, live),
                byComponent = treeTotals.Select(t => new
                {
                    component = t.Component,
                    instancesPerCircuit = t.Instances / (double)Math.Max(1, live),
                    framesInUse = t.FramesInUse,
                    currentSlots = t.CurrentSlots,
                    previousSlots = t.PreviousSlots,
                    bytesPerCircuit = t.Bytes / (double)Math.Max(1, live),
                }),
            },
            heapSnapshots = growth is null ? null : new
            {
                before = snapshot + "-before.gcdump",
                after = snapshot + "-after.gcdump",
                snapshotBeforeBytes = heapBefore!.Values.Sum(t => t.Bytes),
                snapshotAfterBytes = heapAfter!.Values.Sum(t => t.Bytes),
                // The 40 types that grew most, per live circuit.
                perCircuitByType = growth.Take(40).Select(t => new
                {
                    type = t.Type,
                    bytesPerCircuit = t.Bytes / (double)Math.Max(1, live),
                    objectsPerCircuit = t.Count / (double)Math.Max(1, live),
                }),
            },
        };
        log.WriteLine($"S1 {live} circuits: RSS {result.rssPerCircuitBytes / 1024:0} KB/circuit, GC heap {result.gcHeapPerCircuitBytes / 1024:0} KB/circuit"
            + (result.proxyRssPerCircuitBytes is { } proxied ? $", proxy RSS {proxied / 1024:0} KB/circuit" : ""));
        await CloseAsync(tabs, sessions);
        return result;
    }
}
