using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ChatApp.Cluster;

/// <summary>A reply from Redis that is an error (<c>-ERR …</c>).</summary>
public sealed class RedisErrorException(string message) : Exception(message);

/// <summary>
/// One TCP connection speaking RESP2, the Redis protocol: commands go out as arrays of bulk strings, replies
/// come back as simple strings, errors, integers, bulk strings (null for a missing value) or arrays.
/// Our own because StackExchange.Redis does not restore from this machine's package feed (its dependencies
/// RESPite, System.IO.Hashing and Pipelines.Sockets.Unofficial are not served); we need only a handful of
/// commands, and the protocol is small and stable. Not thread-safe: <see cref="RedisClient"/> and
/// <see cref="RedisSubscriber"/> serialize access.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    private RespConnection(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    /// <summary>Connects, authenticates when a password is configured, and checks the server answers.</summary>
    public static async Task<RespConnection> ConnectAsync(RedisEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(timeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, connectTimeout.Token);
            var connection = new RespConnection(tcp);
            if (endpoint.Password is { } password)
            {
                await connection.WriteAsync(endpoint.User is { } user ? ["AUTH", user, password] : ["AUTH", password], connectTimeout.Token);
                await connection.ReadAsync(connectTimeout.Token);
            }
            await connection.WriteAsync(["PING"], connectTimeout.Token);
            await connection.ReadAsync(connectTimeout.Token);
            return connection;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Writes one command; arguments are strings (UTF-8), byte arrays or numbers.</summary>
    public async Task WriteAsync(IReadOnlyList<object> arguments, CancellationToken cancellationToken = default)
    {
        var output = new ArrayBufferWriter<byte>(256);
        WriteHeader(output, '*', arguments.Count);
        foreach (var argument in arguments)
        {
            var bytes = argument switch
            {
                byte[] raw => raw,
                string text => Encoding.UTF8.GetBytes(text),
                IFormattable number => Encoding.ASCII.GetBytes(number.ToString(null, CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"Unsupported Redis argument type {argument.GetType()}", nameof(arguments)),
            };
            WriteHeader(output, '$', bytes.Length);
            output.Write(bytes);
            output.Write(CrLf);
        }
        await stream.WriteAsync(output.WrittenMemory, cancellationToken);
    }

    /// <summary>Reads one reply: string, long, byte[] (bulk), null, object?[] (array); an error reply throws.</summary>
    public async Task<object?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var line = await ReadLineAsync(cancellationToken);
        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return payload;
            case '-':
                throw new RedisErrorException(payload);
            case ':':
                return long.Parse(payload, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }
                var bulk = await ReadExactAsync(length + 2, cancellationToken);
                return bulk[..length];
            case '*':
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }
                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    // An error inside an array (EXEC, scripts) is a value, not a failed read.
                    try
                    {
                        items[i] = await ReadAsync(cancellationToken);
                    }
                    catch (RedisErrorException error)
                    {
                        items[i] = error;
                    }
                }
                return items;
            default:
                throw new IOException($"Unexpected Redis reply type '{line[0]}'.");
        }
    }

    private static void WriteHeader(ArrayBufferWriter<byte> output, char kind, int value)
    {
        var span = output.GetSpan(16);
        span[0] = (byte)kind;
        value.TryFormat(span[1..], out var written, provider: CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline > start && buffer[newline - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(buffer, start, newline - 1 - start);
                start = newline + 1;
                return line;
            }
            await FillAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (start == end)
            {
                await FillAsync(cancellationToken);
            }
            var take = Math.Min(count - copied, end - start);
            Buffer.BlockCopy(buffer, start, result, copied, take);
            start += take;
            copied += take;
        }
        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            throw new IOException("A Redis reply line is longer than the read buffer.");
        }
        var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
        if (read == 0)
        {
            throw new IOException("Redis closed the connection.");
        }
        end += read;
    }

    public ValueTask DisposeAsync()
    {
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Where Redis is: <c>host:port</c>, optionally followed by <c>,password=…</c> and <c>,user=…</c>.</summary>
public sealed record RedisEndpoint(string Host, int Port, string? User = null, string? Password = null)
{
    public static RedisEndpoint Parse(string configuration)
    {
        var parts = configuration.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("Chat:Redis:Configuration is empty.");
        }
        var address = parts[0];
        var colon = address.LastIndexOf(':');
        var host = colon < 0 ? address : address[..colon];
        var port = colon < 0 ? 6379 : int.TryParse(address[(colon + 1)..], CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Chat:Redis:Configuration has an invalid port in '{address}'.");
        string? user = null, password = null;
        foreach (var option in parts.Skip(1))
        {
            var (key, optionValue) = option.IndexOf('=') is var equals and > 0
                ? (option[..equals].ToLowerInvariant(), option[(equals + 1)..])
                : throw new FormatException($"Chat:Redis:Configuration option '{option}' is not key=value.");
            switch (key)
            {
                case "password":
                    password = optionValue;
                    break;
                case "user":
                    user = optionValue;
                    break;
                default:
                    throw new FormatException($"Chat:Redis:Configuration option '{key}' is not supported (password, user).");
            }
        }
        return new RedisEndpoint(host, port, user, password);
    }

    public override string ToString() => $"{Host}:{Port}";
}
