using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A private nginx running the operator's config, docs/nginx/chatapp.conf, with only its ports, upstream
/// servers, certificate and log folder replaced: what the tests prove about the proxy holds for the file
/// operators copy. Everything nginx writes (pid, logs, temp files) stays in a temp prefix, so it needs no
/// system paths and several can run at once. TLS uses a certificate made for this instance.
/// </summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/sbin/nginx";

    /// <summary>The documented config, copied next to the test assembly by the test project.</summary>
    public static string TemplatePath => Path.Combine(AppContext.BaseDirectory, "nginx", "chatapp.conf");

    private readonly string prefix;
    private readonly Process process;

    private NginxServer(string prefix, Process process, int port, X509Certificate2 certificate)
    {
        this.prefix = prefix;
        this.process = process;
        Port = port;
        Certificate = certificate;
    }

    /// <summary>The TLS port clients use.</summary>
    public int Port { get; }

    public string BaseUrl => $"https://127.0.0.1:{Port}";

    /// <summary>The certificate nginx presents; clients trust exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Starts nginx in front of <paramref name="upstreams"/> (host:port each) and waits until it accepts connections.</summary>
    public static async Task<NginxServer> StartAsync(IReadOnlyList<string> upstreams)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} not found: install it with 'apt-get install -y nginx' (the tests start their own instance; the system service need not run).");
        }
        // A port found free can be taken before nginx binds it; another pair of ports is tried then.
        for (var attempt = 1; ; attempt++)
        {
            var prefix = Directory.CreateTempSubdirectory("chatapp-nginx-").FullName;
            try
            {
                return await StartInAsync(prefix, upstreams);
            }
            catch (Exception exception)
            {
                Directory.Delete(prefix, recursive: true);
                if (exception is not PortTakenException || attempt == 3)
                {
                    throw;
                }
            }
        }
    }

    private static async Task<NginxServer> StartInAsync(string prefix, IReadOnlyList<string> upstreams)
    {
        foreach (var folder in new[] { "logs", "temp", "tls" })
        {
            Directory.CreateDirectory(Path.Combine(prefix, folder));
        }
        var certificate = CreateCertificate();
        await File.WriteAllTextAsync(Path.Combine(prefix, "tls", "chatapp.crt"), certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(Path.Combine(prefix, "tls", "chatapp.key"), key.ExportPkcs8PrivateKeyPem());
        }
        var port = FreePort();
        var redirectPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(prefix, "chatapp.conf"), Render(await File.ReadAllTextAsync(TemplatePath), prefix, port, redirectPort, upstreams));
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), MainConfig(prefix));

        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", prefix + "/", "-c", Path.Combine(prefix, "nginx.conf"), "-e", ErrorLogOf(prefix), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            if (await AcceptsAsync(port) && await AcceptsAsync(redirectPort))
            {
                return new NginxServer(prefix, process, port, certificate);
            }
            await Task.Delay(50);
        }
        using (process)
        using (certificate)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"nginx did not listen on port {port} within 30 seconds.");
            }
            var errors = File.Exists(ErrorLogOf(prefix)) ? await File.ReadAllTextAsync(ErrorLogOf(prefix)) : "";
            throw errors.Contains("Address already in use", StringComparison.Ordinal)
                ? new PortTakenException()
                : new InvalidOperationException($"nginx exited at start (code {process.ExitCode}):\n{errors}");
        }
    }

    /// <summary>
    /// Makes <paramref name="handler"/> a client of this proxy: it trusts this instance's certificate and
    /// connects from <paramref name="clientAddress"/> (a loopback address of its own, e.g. 127.0.0.23), so the
    /// proxy and the app see a client address that is not the proxy's.
    /// </summary>
    public void ConfigureClient(SocketsHttpHandler handler, IPAddress clientAddress)
    {
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString();
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(clientAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(clientAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
    }

    /// <summary>One line of the access log, in the template's <c>chatapp</c> format.</summary>
    public sealed record AccessLogEntry(string ClientAddress, string Request, int Status, string Upstream);

    /// <summary>The requests nginx has finished so far (a WebSocket is logged when it closes).</summary>
    public IReadOnlyList<AccessLogEntry> ReadAccessLog()
    {
        var path = Path.Combine(prefix, "logs", "chatapp.access.log");
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var entries = new List<AccessLogEntry>();
        while (reader.ReadLine() is { } line)
        {
            var match = AccessLogLine().Match(line);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Unexpected access log line (has the chatapp log_format changed?): {line}");
            }
            entries.Add(new AccessLogEntry(match.Groups["client"].Value, match.Groups["request"].Value, int.Parse(match.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["upstream"].Value));
        }
        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        Certificate.Dispose();
        Directory.Delete(prefix, recursive: true);
    }

    /// <summary>The template with this instance's values in the lines it marks for editing; fails if one is missing.</summary>
    private static string Render(string template, string prefix, int port, int redirectPort, IReadOnlyList<string> upstreams)
    {
        var config = ReplaceOnce(template, "listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;");
        config = ReplaceOnce(config, "listen 80;", $"listen 127.0.0.1:{redirectPort};");
        config = ReplaceOnce(config, "listen 443 ssl default_server;", $"listen 127.0.0.1:{port} ssl default_server;");
        config = ReplaceOnce(config, "listen 80 default_server;", $"listen 127.0.0.1:{redirectPort} default_server;");
        // The tests' clients name the proxy by address; every other Host gets the template's catch-all.
        config = config.Replace("server_name chat.example.com;", "server_name 127.0.0.1 localhost;", StringComparison.Ordinal);
        config = ReplaceOnce(config, "/etc/nginx/tls/chatapp.crt;", $"{prefix}/tls/chatapp.crt;");
        config = ReplaceOnce(config, "/etc/nginx/tls/chatapp.key;", $"{prefix}/tls/chatapp.key;");
        config = ReplaceOnce(config, "/var/log/nginx/chatapp.access.log", $"{prefix}/logs/chatapp.access.log");
        var servers = UpstreamServers().Matches(config);
        if (servers.Count == 0)
        {
            throw new InvalidOperationException($"{TemplatePath} has no 'server 127.0.0.1:PORT;' lines in its upstream block.");
        }
        var first = servers[0];
        var last = servers[^1];
        var rendered = string.Join('\n', upstreams.Select(upstream => $"{first.Groups["indent"].Value}server {upstream};"));
        return string.Concat(config.AsSpan(0, first.Index), rendered, config.AsSpan(last.Index + last.Length));
    }

    private static string ReplaceOnce(string config, string expected, string replacement)
    {
        var at = config.IndexOf(expected, StringComparison.Ordinal);
        if (at < 0 || config.IndexOf(expected, at + expected.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"{TemplatePath} should contain '{expected}' exactly once; NginxServer replaces it.");
        }
        return string.Concat(config.AsSpan(0, at), replacement, config.AsSpan(at + expected.Length));
    }

    /// <summary>What Debian's /etc/nginx/nginx.conf provides around conf.d/, with every path inside the prefix.</summary>
    private static string MainConfig(string prefix)
    {
        var temp = Path.Combine(prefix, "temp");
        // Started as root, nginx's workers would switch to 'nobody', who cannot enter the private prefix.
        var user = Environment.IsPrivilegedProcess ? "user root;\n" : "";
        return $$"""
            {{user}}worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{ErrorLogOf(prefix)}} warn;
            events { worker_connections 1024; }
            http {
                access_log {{prefix}}/logs/access.log;
                client_body_temp_path {{temp}}/client_body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                include {{prefix}}/chatapp.conf;
            }
            """;
    }

    private static string ErrorLogOf(string prefix) => Path.Combine(prefix, "logs", "error.log");

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class PortTakenException : Exception;

    [GeneratedRegex(@"^(?<indent>[ \t]*)server 127\.0\.0\.1:\d+;.*$", RegexOptions.Multiline)]
    private static partial Regex UpstreamServers();

    [GeneratedRegex(@"^(?<client>\S+) \[[^\]]*\] ""(?<request>[^""]*)"" (?<status>\d+) \d+ upstream=(?<upstream>.*)$")]
    private static partial Regex AccessLogLine();
}
