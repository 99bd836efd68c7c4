using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL 15 cluster for this test run: initdb into a temp folder, listening on a free port of
/// 127.0.0.1 only, trust authentication for that address only, fsync on (the default). One per process, started by
/// the first test that asks and stopped when the process exits; each test takes a fresh database from it.
/// </summary>
public sealed class PostgresServer
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>Not UTC, so a timestamp that depended on the session's zone would show up wrong in the tests.</summary>
    private const string ServerTimeZone = "Pacific/Auckland";

    private static readonly Lazy<PostgresServer> shared = new(Start);

    private readonly int port;

    private PostgresServer(int port) => this.port = port;

    /// <summary>The run's server, started on first use.</summary>
    public static PostgresServer Shared => shared.Value;

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>A new, empty database (chat_&lt;guid&gt;), dropped when the returned object is disposed.</summary>
    /// <summary>
    /// Refuses new connections to a database and ends the open ones, as an outage would (reachable: false), or lets them
    /// in again. Callers clear Npgsql's pools after making it reachable.
    /// </summary>
    public async Task SetReachableAsync(string database, bool reachable)
    {
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = $"""
            ALTER DATABASE "{database}" ALLOW_CONNECTIONS {(reachable ? "true" : "false")};
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid();
            """;
        await command.ExecuteNonQueryAsync();
    }

    public PostgresDatabase CreateDatabase()
    {
        var name = $"chat_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{name}\"");
        return new PostgresDatabase(this, name);
    }

    internal void Drop(string name)
    {
        using (var connection = new NpgsqlConnection(ConnectionString(name)))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        // FORCE ends connections a test left open (a background task still finishing, say).
        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static PostgresServer Start()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")) || !File.Exists(Path.Combine(BinDirectory, "pg_ctl")))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need PostgreSQL 15's server programs in {BinDirectory}: run 'apt-get install postgresql'.");
        }
        var directory = Directory.CreateTempSubdirectory("chatapp-postgres-").FullName;
        if (RunsAsRoot)
        {
            // PostgreSQL refuses to run as root; the cluster belongs to the postgres account instead.
            Run("chown", "-R", "postgres:", directory);
        }
        var data = Path.Combine(directory, "data");
        RunPostgres("initdb", "--pgdata", data, "--username", "postgres", "--auth", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-instructions");
        // Only TCP on 127.0.0.1 (no Unix socket), and only that address is trusted.
        File.WriteAllText(Path.Combine(data, "pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");

        var port = FreePort();
        StopWhenThisProcessExits(directory);
        RunPostgres("pg_ctl", "start", "--pgdata", data, "--wait", "--timeout", "60", "--log", Path.Combine(directory, "server.log"),
            "-o", $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='' -c max_connections=200 -c timezone={ServerTimeZone}");
        return new PostgresServer(port);
    }

    /// <summary>
    /// Stops the cluster and deletes its folder once this process is gone, however it ends (the test host is killed
    /// moments after the run, too soon for a ProcessExit handler to finish).
    /// </summary>
    private static void StopWhenThisProcessExits(string directory)
    {
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        var stop = RunsAsRoot ? $"runuser -u postgres -- {pgCtl}" : pgCtl;
        var watch = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; "
            + $"{stop} stop --pgdata '{directory}/data' --mode immediate; rm -rf '{directory}'";
        Run("/bin/sh", "-c", $"setsid /bin/sh -c \"{watch}\" </dev/null >/dev/null 2>&1 &");
    }

    private static bool RunsAsRoot => Environment.UserName == "root";

    /// <summary>Runs a PostgreSQL program, as the postgres account when we are root.</summary>
    private static void RunPostgres(string program, params string[] arguments)
    {
        var path = Path.Combine(BinDirectory, program);
        if (RunsAsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One test's database on <see cref="PostgresServer"/>.</summary>
public sealed class PostgresDatabase(PostgresServer server, string name) : IDisposable
{
    public string ConnectionString => server.ConnectionString(name);

    public void Dispose() => server.Drop(name);
}
