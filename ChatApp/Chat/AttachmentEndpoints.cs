using System.Security.Claims;
using ChatApp.Chat;

namespace Microsoft.AspNetCore.Routing;

public static class AttachmentEndpoints
{
    /// <summary>
    /// GET /attachments/{id}: membership is checked on every request (404 for anyone else, so a guessed or shared
    /// URL reveals nothing); images are shown inline, everything else is a download; the stored type is sent.
    /// </summary>
    public static IEndpointConventionBuilder MapAttachments(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/attachments/{id:guid}", async (Guid id, ClaimsPrincipal user, AttachmentService attachments, HttpContext context) =>
        {
            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            if (userId is null || await attachments.OpenAsync(userId, id, context.RequestAborted) is not { } found)
            {
                return Results.NotFound();
            }
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // Even if a file were rendered as a document, it could run nothing and load nothing.
            headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
            headers.CacheControl = "private, max-age=3600";
            var (attachment, path) = found;
            return attachment.IsImage
                ? Results.File(path, attachment.ContentType)
                : Results.File(path, attachment.ContentType, fileDownloadName: attachment.FileName);
        }).RequireAuthorization();
}
