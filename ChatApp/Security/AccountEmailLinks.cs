using ChatApp.Chat;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ChatApp.Security;

/// <summary>
/// Absolute links for account emails (confirm, reset, change email), built on <c>Chat:PublicUrl</c> and never on
/// the Host header of the request that asked for the mail, which the sender of that request chooses.
/// </summary>
public sealed class AccountEmailLinks(IOptions<ChatOptions> options, NavigationManager navigation)
{
    /// <summary>The link to <paramref name="page"/> (relative, e.g. "Account/ConfirmEmail") with <paramref name="query"/>.</summary>
    public string Create(string page, IReadOnlyDictionary<string, object?> query)
    {
        // Without Smtp:Host no mail leaves the server (PublicUrl is then optional), so the link may follow the request.
        var baseUri = PublicBaseUri(options.Value) ?? new Uri(navigation.BaseUri);
        return navigation.GetUriWithQueryParameters(new Uri(baseUri, page).AbsoluteUri, query);
    }

    /// <summary>The public address as a base URI ending in '/', or null when none is configured.</summary>
    public static Uri? PublicBaseUri(ChatOptions options) =>
        IsHttpUrl(options.PublicUrl) ? new Uri(options.PublicUrl!.TrimEnd('/') + "/") : null;

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);
}
