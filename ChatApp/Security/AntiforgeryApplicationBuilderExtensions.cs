using ChatApp.Security;

namespace Microsoft.AspNetCore.Builder;

public static class AntiforgeryApplicationBuilderExtensions
{
    /// <summary>Antiforgery validation, with a failed token answered 400 on every endpoint; replaces UseAntiforgery.</summary>
    public static IApplicationBuilder UseChatAntiforgery(this IApplicationBuilder app) =>
        app.UseAntiforgery().UseMiddleware<AntiforgeryFailures>();
}
