using Microsoft.Playwright;

namespace ChatApp.Tests.Infrastructure;

public static class PageExtensions
{
    /// <summary>Registers through the real form and waits for the chat to be interactive.</summary>
    public static async Task RegisterAsync(this IPage page, string displayName, string email, string password = TestUsers.Password)
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Display name").FillAsync(displayName);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await page.WaitForURLAsync("**/chat**");
        await page.WaitForCircuitAsync();
    }

    public static async Task LoginAsync(this IPage page, string email, string password = TestUsers.Password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/chat**");
        await page.WaitForCircuitAsync();
    }

    /// <summary>Waits until the page's circuit is connected (the shell marks itself once interactive).</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        page.Locator("[data-circuit=connected]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
}
