using Microsoft.AspNetCore.SignalR;

namespace ChatApp.Operations;

/// <summary>
/// Tells open tabs that this server is going away (SIGTERM, a deploy): components subscribe to
/// <see cref="Stopping"/> and show "ChatApp is restarting"; the Blazor reconnect loop brings them back after start.
/// </summary>
public sealed partial class ServerLifecycle
{
    private readonly ILogger<ServerLifecycle> logger;
    private int stopping;

    public ServerLifecycle(IHostApplicationLifetime lifetime, ILogger<ServerLifecycle> logger)
    {
        this.logger = logger;
        lifetime.ApplicationStopping.Register(SignalStopping);
    }

    public bool IsStopping => Volatile.Read(ref stopping) == 1;

    /// <summary>Raised once, on the thread that stops the host: handlers marshal to their circuit and return at once.</summary>
    public event Action? Stopping;

    /// <summary>Subscribes a handler and returns what removes it (a component disposes it with itself).</summary>
    public IDisposable OnStopping(Action handler)
    {
        Stopping += handler;
        return new Subscription(() => Stopping -= handler);
    }

    internal void SignalStopping()
    {
        if (Interlocked.Exchange(ref stopping, 1) == 1)
        {
            return;
        }
        LogStopping();
        foreach (var handler in Stopping?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception exception)
            {
                LogHandlerFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: new tabs are refused and open tabs are told that ChatApp is restarting")]
    private partial void LogStopping();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A restart notice handler failed")]
    private partial void LogHandlerFailed(Exception exception);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}

/// <summary>Once the server is stopping, refuses new Blazor connections with 503 so the client retries (elsewhere, or after start).</summary>
internal sealed class RefuseCircuitsWhileStopping(RequestDelegate next, ServerLifecycle lifecycle)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (lifecycle.IsStopping && context.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            // A body, so the status code pages do not re-execute the request as a page.
            return context.Response.WriteAsync("ChatApp is restarting.");
        }
        return next(context);
    }
}
