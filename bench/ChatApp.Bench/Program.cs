using ChatApp.LoadDriver;

var baseUri = new Uri(args.Length > 0 ? args[0] : "http://localhost:5000");
var id = Guid.NewGuid().ToString("N")[..6];
using var aliceSession = await BrowserSession.RegisterAsync(baseUri, $"Alice {id}", $"alice.{id}@example.com", "Passw0rd!x");
using var bobSession = await BrowserSession.RegisterAsync(baseUri, $"Bob {id}", $"bob.{id}@example.com", "Passw0rd!x");
await using var alice = await aliceSession.OpenTabAsync("/chat/general");
await using var bob = await bobSession.OpenTabAsync("/chat/general");
for (var i = 0; i < 5; i++)
{
    var seen = new TaskCompletionSource<long>();
    var token = $"tok{id}x{i}";
    bob.Watch(token, ts => seen.TrySetResult(ts));
    var sent = await alice.SendMessageAsync($"hello {token}");
    var arrived = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
    Console.WriteLine($"latency {System.Diagnostics.Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds:0.0} ms");
}
