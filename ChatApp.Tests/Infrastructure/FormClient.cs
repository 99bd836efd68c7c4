using System.Net;
using System.Text.RegularExpressions;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Fills and posts the app's server-rendered forms the way a browser would (antiforgery included).</summary>
public sealed partial class FormClient(HttpClient client)
{
    public HttpClient Http => client;

    public async Task<HttpResponseMessage> PostFormAsync(string path, string formName, IDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(path),
            ["_handler"] = formName,
        };
        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    /// <summary>The antiforgery token of the form on a page (its cookie lands in the client's jar).</summary>
    public async Task<string> AntiforgeryTokenAsync(string path)
    {
        var page = await client.GetStringAsync(path);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, $"No antiforgery token on {path}");
        return WebUtility.HtmlDecode(token.Groups["value"].Value);
    }

    public Task<HttpResponseMessage> RegisterAsync(string displayName, string email, string password = TestUsers.Password) =>
        PostFormAsync("/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = displayName,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    public Task<HttpResponseMessage> LoginAsync(string email, string password = TestUsers.Password) =>
        PostFormAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

public static class TestUsers
{
    public const string Password = "Passw0rd!x";
}
