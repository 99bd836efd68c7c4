using System.Net;
using System.Text.RegularExpressions;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Walks the OpenID Connect redirects the way a browser would: ChatApp → provider → ChatApp's callback.</summary>
public static partial class SingleSignOnFlow
{
    /// <summary>Clicks "Sign in with …" on the login page and follows every redirect up to ChatApp's answer.</summary>
    public static async Task<HttpResponseMessage> SignInWithProviderAsync(this FormClient form, string provider = OpenIdProvider.Scheme, string returnUrl = "chat")
    {
        var token = await form.AntiforgeryTokenAsync("/Account/Login");
        var challenge = await form.Http.PostAsync("/Account/PerformExternalLogin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["provider"] = provider,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);

        // The provider is another site: the browser goes there without ChatApp's cookies.
        using var elsewhere = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var authorization = await elsewhere.GetAsync(challenge.Headers.Location);
        var page = await authorization.Content.ReadAsStringAsync();
        Assert.True(authorization.StatusCode == HttpStatusCode.OK, $"The provider answered {(int)authorization.StatusCode}: {page}");

        // The provider answers with a self-submitting form (response_mode=form_post): the code never sits in a URL.
        var action = FormAction().Match(page);
        Assert.True(action.Success, $"No form_post answer from the provider: {page}");
        var fields = HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        var callback = await form.Http.PostAsync(WebUtility.HtmlDecode(action.Groups["url"].Value), new FormUrlEncodedContent(fields));
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"The callback answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
        return await form.Http.GetAsync(callback.Headers.Location);
    }

    /// <summary>Where a redirect leads, as a path without query ("/chat", "/Account/Login").</summary>
    public static string RedirectPath(this HttpResponseMessage response, Uri baseAddress)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Uri(baseAddress, response.Headers.Location!).AbsolutePath;
    }

    /// <summary>Whether the client's cookie opens the chat (signed in) rather than sending it to the login page.</summary>
    public static async Task<bool> IsSignedInAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("/chat");
        return response.StatusCode == HttpStatusCode.OK;
    }

    [GeneratedRegex("<form[^>]*action=\"(?<url>[^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenField();
}
