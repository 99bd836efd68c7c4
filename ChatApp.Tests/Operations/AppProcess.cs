using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Operations;

/// <summary>
/// <c>dotnet ChatApp.dll</c> as the operator runs it (its own process, the app's settings from the command line),
/// with its console output kept for assertions and failure messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private AppProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Output => string.Join('\n', output);

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>
    /// Starts the web app on a free port; does not wait (servers are started together). <paramref name="environment"/>:
    /// variables for the runtime itself (<c>DOTNET_…</c>), which no app setting can reach.
    /// </summary>
    public static AppProcess Start(IEnumerable<string> settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = ExternalApp.FreePort();
        return new AppProcess(Launch(["--urls", $"http://127.0.0.1:{port}", .. settings], environment), port);
    }

    /// <summary>Runs a command (backup, restore) to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] arguments)
    {
        await using var command = new AppProcess(Launch(arguments), 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await command.process.WaitForExitAsync(timeout.Token);
        command.process.WaitForExit();
        return (command.process.ExitCode, command.Output);
    }

    /// <summary>Waits until /health/ready answers 200; fails with the app's output if it exits or takes too long.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? within = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(process.HasExited, $"ChatApp on port {Port} exited ({(process.HasExited ? process.ExitCode : 0)}):\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"ChatApp on port {Port} was not ready in time:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>What systemd sends on stop.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static Process Launch(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ChatApp.dll"));
        // After the arguments: a command (backup, restore) must come first.
        foreach (var argument in arguments.Concat(["--contentRoot", ExternalApp.ProjectDirectory()]))
        {
            start.ArgumentList.Add(argument);
        }
        // Production, as deployed (no developer exception page); the tests need no static assets from it.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start ChatApp");
    }
}
