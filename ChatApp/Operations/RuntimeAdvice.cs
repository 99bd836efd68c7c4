namespace ChatApp.Operations;

/// <summary>What the server tells operators at start about how .NET runs it, when a runtime setting would serve it better.</summary>
public static class RuntimeAdvice
{
    /// <summary>
    /// With one processor .NET runs its workstation garbage collector whatever the app asks for; in the benchmarks that
    /// collector sometimes ran a background collection blocking, one pause of 0.2–1 s (bench/FINDINGS.md, issue 16
    /// fifth round). Null when there is nothing to say: the server collector already, or more than one processor.
    /// </summary>
    public static string? GarbageCollector(bool isServerGc, int processorCount) =>
        isServerGc || processorCount > 1
            ? null
            : "One processor: .NET runs its workstation garbage collector, whose full collections can stop the server "
              + "for up to a second under load. Set DOTNET_PROCESSOR_COUNT=2, DOTNET_GCHeapCount=1, DOTNET_GCNoAffinitize=1 "
              + "and DOTNET_GCGen0MaxBudget=600000 to run the server collector on one heap (docs/deploy.md, \"One-core hosts\").";
}
