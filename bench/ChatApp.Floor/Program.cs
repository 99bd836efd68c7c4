using System.Diagnostics;
using ChatApp.Floor;

// The ASP.NET Core floor for S2: what one core costs per delivery when a big room's message is rendered once and the
// same bytes go to every reader's connection — SignalR's group send (serialized once per protocol), over TLS, after the
// persisted Socket.IO peer's work (bench/peer/server.js, mode persisted): each message committed to SQLite (WAL,
// synchronous=FULL) with the room's next sequence before it is sent, and membership checked for every recipient at
// delivery. No UI, no circuits: the lower bound a broadcast delivery path inside ChatApp could reach on this machine.
//   dotnet ChatApp.Floor.dll --urls https://127.0.0.1:5095 --db /tmp/floor.db [--payload 2000]
// With Kestrel__Certificates__Default__Path/KeyPath set as for ChatApp's benchmark server.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSignalR().AddMessagePackProtocol();
builder.Services.AddSingleton(new Rooms(
    new MessageStore(builder.Configuration["db"] ?? Path.Combine(Path.GetTempPath(), $"chatapp-floor-{Environment.ProcessId}.db")),
    int.Parse(builder.Configuration["payload"] ?? "2000", System.Globalization.CultureInfo.InvariantCulture)));
var app = builder.Build();

// Test-only sign-in, as the peer's: a user, a token, and the room they belong to.
app.MapPost("/session", (string user, string room, Rooms rooms) => new { token = rooms.SignIn(user, room) });
app.MapGet("/stats", (bool? gc, Rooms rooms) =>
{
    if (gc == true)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
    using var process = Process.GetCurrentProcess();
    return new
    {
        rssBytes = process.WorkingSet64,
        heapUsedBytes = GC.GetTotalMemory(false),
        cpuSeconds = process.TotalProcessorTime.TotalSeconds,
        sockets = rooms.Connections,
        store = rooms.Store.Description,
        storedMessages = rooms.Store.Stored(),
    };
});
app.MapHub<FloorHub>("/hub");
app.Run();
