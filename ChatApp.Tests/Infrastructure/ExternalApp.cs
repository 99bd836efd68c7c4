using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatApp.Tests.Infrastructure;

/// <summary>The app as a separate process (dotnet ChatApp.dll), so a test can kill it like a crash would.</summary>
public sealed class ExternalApp : IAsyncDisposable
{
    private readonly Process process;

    private ExternalApp(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int Port { get; private init; }

    /// <summary>Starts the app on the given port (a free one when 0) and waits until it answers.</summary>
    public static async Task<ExternalApp> StartAsync(string databasePath, string[] settings, int port = 0)
    {
        port = port == 0 ? FreePort() : port;
        var baseUrl = $"http://localhost:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "ChatApp.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            "--contentRoot", ProjectDirectory(),
            $"--ConnectionStrings:DefaultConnection=Data Source={databasePath}",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }
        // Development serves the static assets from the build's manifest, as 'dotnet run' does.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start ChatApp");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/")).StatusCode == HttpStatusCode.OK)
                {
                    return new ExternalApp(process, baseUrl) { Port = port };
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }
            if (DateTime.UtcNow >= deadline || process.HasExited)
            {
                throw new InvalidOperationException($"ChatApp did not start on port {port}.");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Ends the process at once, with no chance to flush or shut down.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
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

    /// <summary>A free loopback port (shared with the other process-starting helpers).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The ChatApp project folder above the test output.</summary>
    internal static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "ChatApp", "ChatApp.csproj");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }
        throw new InvalidOperationException("ChatApp/ChatApp.csproj not found above the test output.");
    }
}
