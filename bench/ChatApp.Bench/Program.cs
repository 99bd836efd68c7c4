using System.Text.Json;
using ChatApp.Bench;

// ChatApp.Bench <command> [--option value ...]; see bench/README.md. Results go to --out as JSON.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: ChatApp.Bench seed|s1|s2|s3|s4|sqlite-raw|writer|report [--option value ...]");
    return 2;
}
var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}
string Text(string name, string fallback) => options.GetValueOrDefault(name, fallback);
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
double Number(string name, double fallback) => options.TryGetValue(name, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

// --url, and for a cluster run --url2: the second server (users alternate between them).
List<Uri> servers = [new(Text("url", "http://127.0.0.1:5080")), .. options.TryGetValue("url2", out var second) ? [new Uri(second)] : Array.Empty<Uri>()];
// --trust-cert: the server's self-signed certificate (PEM). The servers run in Production over TLS on loopback, and
// the driver trusts exactly that certificate, as a browser would after its owner installed it.
var connection = options.TryGetValue("trust-cert", out var certificate) ? TrustedCertificate.Handler(certificate) : null;
// --deflate false: tabs do not offer WebSocket compression (runs made before the driver offered it, as Chromium does).
var offerCompression = Text("deflate", "true") != "false";
// --http2 true: each user's tabs open their WebSockets over one HTTP/2 connection (RFC 8441), as one browser's do.
var http2WebSockets = Text("http2", "false") == "true";
// --proxy-pid: the master process of the proxy in front of the server (BENCH_PROXY=nginx); S1 adds its memory.
var scenarios = new Scenarios(servers, Console.Out, connection, offerCompression, http2WebSockets) { ProxyPid = options.TryGetValue("proxy-pid", out var proxyPid) ? int.Parse(proxyPid, System.Globalization.CultureInfo.InvariantCulture) : null };
object? result = args[0] switch
{
    "seed" => await Seed(),
    "s1" => await scenarios.DensityAsync(Int("users", 1000), Int("tabs", 1), Int("room-size", 10), Text("heap-by-type", "false") == "true", Int("messages", 0), Text("heap-dump", "false") == "true"),
    "s2" => await scenarios.FanOutAsync(Int("users", 100), Number("rate", 10), TimeSpan.FromSeconds(Number("seconds", 30)), TimeSpan.FromSeconds(Number("warm-up", 30))),
    "s3" => await scenarios.TeamChatAsync(Int("start", 500), Int("step", 500), Int("max", 10_000), TimeSpan.FromSeconds(Number("seconds", 60)), Int("room-size", 10)),
    "s4" => await scenarios.ThroughputAsync(Int("senders", 50), TimeSpan.FromSeconds(Number("seconds", 20)), Int("room-size", 10), options.GetValueOrDefault("db"), TimeSpan.FromSeconds(Number("warm-up", 15))),
    // The ASP.NET Core floor (bench/ChatApp.Floor): SignalR group sends of one rendered row, after the persisted peer's work.
    "floor-s2" => await FloorFanOut.RunAsync(servers[0], Int("users", 100), Number("rate", 10), TimeSpan.FromSeconds(Number("seconds", 30)), TimeSpan.FromSeconds(Number("warm-up", 30)), options.GetValueOrDefault("trust-cert"), Console.Out),
    "writer" => await WriterBench.RunAsync(Text("db", "bench.db"), Int("writers", 50), TimeSpan.FromSeconds(Number("seconds", 20)), Console.Out),
    "sqlite-raw" => await RawSqlite.RunAsync(Text("db", "raw.db"), Int("writers", 50), Int("batch", 1), TimeSpan.FromSeconds(Number("seconds", 20)), Console.Out),
    "render-trees" => RenderTrees.Print(Text("dump", "server.dump"), Console.Out),
    "gc-trace" => GcTrace.Read(Text("trace", "server.nettrace"), Number("over", 150), Console.Out),
    "report" => Report.Write(Text("results", "bench/results"), Text("out", "bench/REPORT.md")),
    _ => throw new ArgumentException($"Unknown command {args[0]}"),
};

async Task<object?> Seed()
{
    await Seeder.SeedAsync(Text("db", "bench.db"), Int("users", 1000), Int("room-size", 10), Console.Out, Int("messages", 0));
    return null;
}

if (result is not null && options.TryGetValue("out", out var output) && args[0] != "report")
{
    var document = new Dictionary<string, object?>
    {
        ["label"] = Text("label", args[0]),
        ["measuredAt"] = DateTimeOffset.UtcNow,
        ["machine"] = new
        {
            cpus = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)) : Environment.ProcessorCount,
            memoryGb = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
            os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            runtime = $".NET {Environment.Version}",
            // On one processor the runtime's default young generation follows this cache's size (FINDINGS, sixteenth round).
            lastLevelCacheMb = LastLevelCacheMb(),
        },
        ["serverConfiguration"] = Text("server-config", ""),
        // BENCH_SERVER_ENV of this run (profiling or an experiment), empty for the standard runs.
        ["serverEnvironment"] = Text("server-env", ""),
        ["serverApp"] = Text("server-app", ""),
        // The commit the app was built from (an uncommitted change is not visible here: commit before measuring).
        ["appCommit"] = Text("app-commit", ""),
        ["servers"] = servers.Count,
        // "nginx" when the server ran behind the proxy of docs/deploy.md (BENCH_PROXY=nginx), which ended TLS.
        ["proxy"] = Text("proxy", ""),
        ["driverOffersCompression"] = offerCompression,
        ["driverHttp2WebSockets"] = http2WebSockets,
        ["result"] = result,
    };
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"wrote {output}");
}
return 0;

// The size of the processor's last-level cache as Linux reports it for CPU 0 (e.g. "266240K"), or null.
static double? LastLevelCacheMb()
{
    const string caches = "/sys/devices/system/cpu/cpu0/cache";
    if (!Directory.Exists(caches))
    {
        return null;
    }
    var largest = Directory.GetDirectories(caches, "index*")
        .Select(index => (Level: File.ReadAllText(Path.Combine(index, "level")).Trim(), Size: File.ReadAllText(Path.Combine(index, "size")).Trim()))
        .OrderByDescending(cache => cache.Level, StringComparer.Ordinal)
        .FirstOrDefault();
    return largest.Size is { Length: > 1 } size && size.EndsWith('K') && double.TryParse(size[..^1], out var kilobytes) ? Math.Round(kilobytes / 1024, 1) : null;
}
