using System.Text.Json;
using System.Text.Json.Serialization;
using ChatApp.Chat;
using ChatApp.Data;
using ChatApp.Webhooks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Routing;

public static class WebhookEndpoints
{
    /// <summary>
    /// POST /hooks/{id}/{token} with JSON <c>{"text": "…"}</c>: posts the text into the webhook's room as its bot.
    /// The secret in the URL is the only credential (no cookies, no antiforgery). Unknown, revoked, room-deleted and
    /// wrong-secret requests get one identical 404; the rate is taken only after the secret matched.
    /// </summary>
    public static RouteHandlerBuilder MapWebhooks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/hooks/{id:int}/{token}", PostAsync)
            .AllowAnonymous()
            // No Accepts metadata: routing would refuse other content types with a bodiless 415, which the status
            // code pages re-execute as an HTML page; the handler answers 415 with a problem of its own instead.
            .DisableAntiforgery();

    public sealed record WebhookPayload([property: JsonPropertyName("text")] string? Text);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>How long a caller is asked to wait when the database did not answer.</summary>
    private const int RetryAfterOutageSeconds = 10;

    /// <remarks>The database not answering is a 503 with Retry-After, which CI tools and monitors retry, not a 500.</remarks>
    private static async Task<IResult> PostAsync(int id, string token, HttpContext context, WebhookService webhooks, WebhookRateLimiter rateLimiter,
        WebhookRefusals refusals, MessageService messages, IOptions<WebhookOptions> webhookOptions, IOptions<ChatOptions> chatOptions,
        ILogger<WebhookService> logger)
    {
        try
        {
            return await PostCheckedAsync(id, token, context, webhooks, rateLimiter, refusals, messages, webhookOptions, chatOptions);
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
        {
            logger.LogError(exception, "Webhook {WebhookId} could not post: the database did not answer", id);
            context.Response.Headers.RetryAfter = RetryAfterOutageSeconds.ToString();
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                detail: "The message could not be stored right now; send it again after the time in Retry-After.");
        }
    }

    private static async Task<IResult> PostCheckedAsync(int id, string token, HttpContext context, WebhookService webhooks, WebhookRateLimiter rateLimiter,
        WebhookRefusals refusals, MessageService messages, IOptions<WebhookOptions> webhookOptions, IOptions<ChatOptions> chatOptions)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString();
        var (webhook, wrongSecret) = await webhooks.AuthenticateAsync(id, token, context.RequestAborted);
        if (webhook is null)
        {
            if (wrongSecret)
            {
                await refusals.RecordAsync(id, WebhookRefusals.WrongSecret, ip);
            }
            return NotFound();
        }
        if (!rateLimiter.TryAcquire(webhook.WebhookId, out var retryAfter))
        {
            await refusals.RecordAsync(webhook.WebhookId, WebhookRefusals.RateLimited, ip);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: "This webhook posted too many messages; wait for the time in Retry-After, then send again.");
        }

        var limit = webhookOptions.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the message as JSON (Content-Type: application/json), e.g. {\"text\": \"Build passed\"}.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }
        var body = await ReadBodyAsync(context.Request, limit, context.RequestAborted);
        if (body is null)
        {
            return TooLarge(limit);
        }

        WebhookPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<WebhookPayload>(body, Json);
        }
        catch (JsonException)
        {
            return BadRequest("The body is not valid JSON. Send an object such as {\"text\": \"Build passed\"}.");
        }
        if (payload?.Text is null)
        {
            return BadRequest("The JSON object needs a \"text\" string, e.g. {\"text\": \"Build passed\"}.");
        }
        if (MessageRules.Check(payload.Text, chatOptions.Value.MaxMessageLength) is { } problem)
        {
            return BadRequest(problem);
        }

        var posted = await messages.PostAsBotAsync(webhook.Bot, webhook.RoomId, payload.Text, context.RequestAborted);
        if (!posted.Succeeded)
        {
            return posted.Error == ChatResult.RoomNotFound
                ? NotFound()
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not posted", detail: posted.Error);
        }
        await webhooks.RecordUseAsync(webhook.WebhookId);
        return Results.NoContent();
    }

    /// <summary>The body, or null once it is longer than <paramref name="limit"/> (a chunked body has no Content-Length to check first).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    // One answer for every webhook that cannot be used, so ids cannot be probed.
    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No webhook at this address.");

    private static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    private static IResult TooLarge(int limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
            detail: $"The body may be at most {limit:N0} bytes.");
}
