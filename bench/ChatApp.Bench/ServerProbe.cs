using System.Net.Http.Json;

namespace ChatApp.Bench;

public sealed record RuntimeSample(long RssBytes, long GcHeapBytes, long GcHeapSizeBytes, long TotalAllocatedBytes, int Gen0, int Gen1, int Gen2, double CpuSeconds, int LiveCircuits);

/// <summary>Reads the server's /diagnostics/runtime (enabled for benchmarks with Chat:Diagnostics=true).</summary>
public sealed class ServerProbe(Uri baseUri) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };

    public async Task<RuntimeSample> SampleAsync(bool collect = false) =>
        (await http.GetFromJsonAsync<RuntimeSample>($"/diagnostics/runtime?collect={(collect ? "true" : "false")}"))!;

    public void Dispose() => http.Dispose();
}
