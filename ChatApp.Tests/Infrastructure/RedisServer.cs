using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A private redis-server for tests: loopback only, a free port, no persistence, a temp folder of its own, so
/// no system service is needed and tests can run side by side. <see cref="StopAsync"/>, <see cref="StartAsync()"/>
/// and <see cref="RestartAsync"/> keep the port, so an outage test can take Redis away under a running app and
/// bring it back (empty, as a real restart without persistence would).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/redis-server";

    private readonly string directory = Directory.CreateTempSubdirectory("chatapp-redis-").FullName;
    private readonly Queue<string> output = new();
    private Process? process;

    private RedisServer(int port, string? password)
    {
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The password clients must send (Redis' requirepass), or null for none.</summary>
    public string? Password { get; }

    /// <summary>The value for <c>Chat:Redis:Configuration</c>.</summary>
    public string Configuration => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    /// <summary>Starts a new instance on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} not found: install it with 'apt-get install -y redis-server' (the tests start their own instance; the system service need not run).");
        }
        // A port found free can be taken before redis binds it; another one is tried then.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort(), password);
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.Output.Contains("Address already in use", StringComparison.Ordinal))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts this instance again on its port after <see cref="StopAsync"/>.</summary>
    public async Task StartAsync()
    {
        if (process is { HasExited: false })
        {
            throw new InvalidOperationException("redis-server is already running.");
        }
        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        var arguments = new List<string>
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", directory,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--logfile", "",
        };
        if (Password is not null)
        {
            arguments.AddRange(["--requirepass", Password]);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        lock (output)
        {
            output.Clear();
        }
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        process.OutputDataReceived += (_, line) => Remember(line.Data);
        process.ErrorDataReceived += (_, line) => Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            if (await TryCommandAsync("PING") == "+PONG")
            {
                return;
            }
            await Task.Delay(50);
        }
        var exited = process.HasExited;
        await StopAsync();
        throw new InvalidOperationException(exited
            ? $"redis-server exited at start on port {Port}:\n{Output}"
            : $"redis-server did not answer PING on port {Port} within 30 seconds:\n{Output}");
    }

    /// <summary>Ends the process at once, like a crash; clients see their connections drop and new ones refused.</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
        process = null;
    }

    /// <summary>A stop and a start on the same port: the data is gone, as after a real restart without persistence.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>
    /// Sends one command (after AUTH when there is a password) on a new connection and returns the first line of
    /// its reply, e.g. "+PONG", "$-1" or "-ERR …".
    /// </summary>
    public async Task<string> CommandAsync(params string[] command) =>
        await TryCommandAsync(command) ?? throw new InvalidOperationException($"redis-server on port {Port} did not answer.");

    private async Task<string?> TryCommandAsync(params string[] command)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8);
            if (Password is not null)
            {
                await stream.WriteAsync(Encode("AUTH", Password), timeout.Token);
                if (await reader.ReadLineAsync(timeout.Token) is not "+OK")
                {
                    return null;
                }
            }
            await stream.WriteAsync(Encode(command), timeout.Token);
            return await reader.ReadLineAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>A command as a RESP array of bulk strings.</summary>
    private static byte[] Encode(params string[] command)
    {
        var text = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        foreach (var part in command)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The last lines redis-server printed, for failure messages.</summary>
    private string Output
    {
        get
        {
            lock (output)
            {
                return string.Join('\n', output);
            }
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > 50)
            {
                output.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
