using System.Net;
using ChatApp.Components.Layout;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Security;

/// <summary>The theme switch is a form post: antiforgery-checked, local redirects only, and the page follows it.</summary>
[Trait("Cost", "http")]
public sealed class ThemePreferenceTests(ChatAppFactory app) : IClassFixture<ChatAppFactory>
{
    private static async Task<HttpResponseMessage> SwitchAsync(HttpClient http, string mode, string returnUrl, bool withToken = true)
    {
        var page = await http.GetStringAsync("/Account/Login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"");
        var fields = new Dictionary<string, string> { ["mode"] = mode, ["returnUrl"] = returnUrl };
        if (withToken)
        {
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        }
        return await http.PostAsync("/preferences/theme", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Choosing_dark_sets_the_cookie_and_the_next_page_is_drawn_dark()
    {
        var http = app.CreateBrowserLikeClient();
        Assert.Contains("data-theme=\"light\"", await http.GetStringAsync("/Account/Login"));

        var response = await SwitchAsync(http, "dark", "/Account/Register");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Register", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{ThemePreference.CookieName}=dark", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("data-theme=\"dark\"", await http.GetStringAsync("/Account/Register"));
    }

    [Fact]
    public async Task Without_the_antiforgery_token_the_choice_is_refused()
    {
        var http = app.CreateBrowserLikeClient();

        var response = await SwitchAsync(http, "dark", "/", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-theme=\"light\"", await http.GetStringAsync("/Account/Login"));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task The_return_address_is_never_another_site(string returnUrl)
    {
        var response = await SwitchAsync(app.CreateBrowserLikeClient(), "light", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_unknown_mode_is_refused()
    {
        var response = await SwitchAsync(app.CreateBrowserLikeClient(), "neon", "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task System_mode_follows_the_browsers_colour_scheme_hint_and_pages_ask_for_it()
    {
        var http = app.CreateBrowserLikeClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add(ThemePreference.ColorSchemeHint, "\"dark\"");

        var response = await http.SendAsync(request);

        Assert.Contains("data-theme=\"dark\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(ThemePreference.ColorSchemeHint, response.Headers.GetValues("Accept-CH").Single());
        Assert.Contains(ThemePreference.ColorSchemeHint, response.Headers.Vary);
    }
}
