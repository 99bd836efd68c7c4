using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Browser;

[Trait("Cost", "browser")]
[Collection(BrowserCollection.Name)]
[ClosesBrowserProfiles]
public sealed class ChatFlowTests(BrowserFixture fixture)
{
    private async Task<IPage> SignUpAsync(string name, Func<IBrowserContext, Task>? prepare = null)
    {
        var page = await fixture.NewUserPageAsync(prepare);
        await page.RegisterAsync(name, $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com");
        return page;
    }

    [BrowserFact]
    public async Task The_circuit_connects_and_handles_a_click()
    {
        var id = BrowserFixture.Unique();
        var page = await SignUpAsync($"Clicker {id}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Browse rooms" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Public rooms" })).ToContainTextAsync("#general");
    }

    [BrowserFact]
    public async Task Alice_sends_and_Bob_sees_it_within_a_second()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}");
        var text = $"Hello Bob {id}";

        await alice.Composer().FillAsync(text);
        await alice.Composer().PressAsync("Enter");

        await Expect(bob.Message(text)).ToBeVisibleAsync(new() { Timeout = 1000 });
        await Expect(bob.Message(text)).ToContainTextAsync($"Alice {id}");
    }

    [BrowserFact]
    public async Task Enter_sends_Shift_Enter_adds_a_line_and_too_long_text_stays_in_the_composer()
    {
        var id = BrowserFixture.Unique();
        var page = await SignUpAsync($"Typist {id}");

        await page.Composer().FillAsync($"first line {id}");
        await page.Composer().PressAsync("Shift+Enter");
        await page.Composer().PressSequentiallyAsync("second line");
        await Expect(page.Composer()).ToHaveValueAsync($"first line {id}\nsecond line");
        await page.Composer().PressAsync("Enter");
        await Expect(page.Message($"first line {id}")).ToContainTextAsync("second line");

        var tooLong = new string('x', 4001);
        await page.Composer().FillAsync(tooLong);
        await page.Composer().PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at most 4,000 characters");
        await Expect(page.Composer()).ToHaveValueAsync(tooLong);
    }

    [BrowserFact]
    public async Task Carol_outside_the_private_room_never_sees_it_its_name_or_its_messages()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}");
        var carol = await SignUpAsync($"Carol {id}");
        var room = $"secret-{id}";

        await alice.CreatePrivateRoomAsync(room);
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Invite people" })).ToBeVisibleAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Invite people" }).ClickAsync();
        await alice.GetByLabel("Add people").PressSequentiallyAsync($"Bob {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = $"Add Bob {id}" }).ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Status).Filter(new() { HasText = "Invited" })).ToContainTextAsync($"Bob {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        await Expect(bob.RoomsNav().GetByRole(AriaRole.Link, new() { Name = room })).ToBeVisibleAsync();
        await bob.RoomsNav().GetByRole(AriaRole.Link, new() { Name = room }).ClickAsync();
        await alice.Composer().PressSequentiallyAsync("typing in secret");
        await Expect(bob.GetByText($"Alice {id} is typing…")).ToBeVisibleAsync();
        await alice.Composer().PressAsync("Enter");
        await Expect(bob.Message("typing in secret")).ToBeVisibleAsync();
        await Expect(bob.GetByText($"Alice {id} is typing…")).ToBeHiddenAsync();

        // Carol was online in #general the whole time: nothing of the room reached her tab.
        var carolHtml = await carol.ContentAsync();
        Assert.DoesNotContain(room, carolHtml);
        Assert.DoesNotContain("typing in secret", carolHtml);
        await Expect(carol.RoomsNav().GetByRole(AriaRole.Link)).ToHaveCountAsync(1);

        // Its URL answers exactly like a room that does not exist.
        var secretResponse = await carol.GotoAsync($"/chat/{room}");
        var missingText = await carol.Locator("main").InnerTextAsync();
        var missingResponse = await carol.GotoAsync($"/chat/no-such-room-{id}");
        Assert.Equal(404, secretResponse!.Status);
        Assert.Equal(404, missingResponse!.Status);
        Assert.Equal(await carol.Locator("main").InnerTextAsync(), missingText);
    }

    [BrowserFact]
    public async Task The_people_picker_dialogs_open_with_the_caret_in_the_search_field_and_keep_every_keystroke()
    {
        // MudBlazor's default focuses the dialog box once its own JS round trip returns; on a busy server that came
        // after typing had begun and swallowed the rest (the query stayed "Bo", and with many Bobs the one wanted was
        // not among the 8 shown). The picker dialogs leave the focus to the picker's field.
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        await SignUpAsync($"Bob {id}");

        await alice.GetByRole(AriaRole.Button, new() { Name = "New direct message" }).ClickAsync();
        var to = alice.GetByLabel("To", new() { Exact = true });
        await Expect(to).ToBeFocusedAsync();
        await alice.Keyboard.TypeAsync($"Bob {id}");
        await Expect(to).ToHaveValueAsync($"Bob {id}");
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = $"Add Bob {id}" })).ToBeVisibleAsync();
        await Expect(to).ToBeFocusedAsync();
        await alice.Keyboard.PressAsync("Escape");

        await alice.CreatePrivateRoomAsync($"focus-{id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Invite people" }).ClickAsync();
        var add = alice.GetByLabel("Add people");
        await Expect(add).ToBeFocusedAsync();
        await alice.Keyboard.TypeAsync($"Bob {id}");
        await Expect(add).ToHaveValueAsync($"Bob {id}");
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = $"Add Bob {id}" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task A_message_whose_event_was_lost_is_fetched_when_the_next_one_shows_the_gap()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}");
        var aliceId = (await fixture.App.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ChatApp.Data.ApplicationUser>>()
            .FindByEmailAsync($"alice.{id}@example.com"))!.Id;

        // Stored but never published, as when the backplane was down while another server sent it.
        await fixture.App.GetRequiredService<ChatApp.Chat.MessageWriter>().InsertAsync(
            new ChatApp.Data.Message { RoomId = ChatApp.Data.Room.GeneralRoomId, AuthorId = aliceId, ClientId = Guid.NewGuid(), Text = $"lost event {id}" },
            [], _ => { });
        await alice.SendAsync($"next one {id}");

        await Expect(bob.Message($"next one {id}")).ToBeVisibleAsync();
        await Expect(bob.Message($"lost event {id}")).ToBeVisibleAsync(new() { Timeout = 5000 });
        var order = await bob.MessageLog().Locator("article").Filter(new() { HasText = id }).AllInnerTextsAsync();
        Assert.Equal(2, order.Count);
        Assert.Contains("lost event", order[0]);
        Assert.Contains("next one", order[1]);
    }

    [BrowserFact]
    public async Task Bob_offline_while_Alice_sends_five_ends_with_all_five_once_in_order()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}", context => context.AllowConnectionDropsAsync());

        await bob.DropConnectionAsync();
        await Expect(bob.GetByText("Reconnecting…")).ToBeVisibleAsync();
        var sent = Enumerable.Range(1, 5).Select(i => $"while away {id} #{i}").ToList();
        foreach (var text in sent)
        {
            await alice.SendAsync(text);
        }
        await bob.RestoreConnectionAsync();

        await Expect(bob.Message(sent[^1])).ToBeVisibleAsync(new() { Timeout = 45_000 });
        var texts = await bob.MessageLog().Locator("article .message-text").AllInnerTextsAsync();
        Assert.Equal(sent, texts.Where(t => t.Contains(id, StringComparison.Ordinal)));
        await Expect(bob.GetByText("Reconnecting…")).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task Edits_and_deletions_show_live_to_everyone()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}");
        await alice.SendAsync($"draft {id}");
        await Expect(bob.Message($"draft {id}")).ToBeVisibleAsync();

        await alice.Message($"draft {id}").HoverAsync();
        await alice.Message($"draft {id}").GetByRole(AriaRole.Button, new() { Name = "Edit message" }).ClickAsync();
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync($"final {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(bob.Message($"final {id}")).ToContainTextAsync("(edited)");

        await alice.Message($"final {id}").HoverAsync();
        await alice.Message($"final {id}").GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(bob.GetByText($"final {id}")).ToHaveCountAsync(0);
        await Expect(bob.MessageLog().Locator("article", new() { HasText = $"Alice {id}" }).Last).ToContainTextAsync("message deleted");
    }

    [BrowserFact]
    public async Task Ctrl_K_opens_the_quick_switcher_and_Enter_opens_the_room_typed()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        await alice.CreatePrivateRoomAsync($"plans-{id}");
        await alice.RoomsNav().GetByRole(AriaRole.Link, new() { Name = "general" }).ClickAsync();
        await Expect(alice).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/chat/general$"));

        // Keyboard only: the shortcut presses the app bar's "Jump to…" button, the dialog's field has the caret.
        await alice.Keyboard.PressAsync("Control+k");
        var dialog = alice.GetByRole(AriaRole.Dialog, new() { Name = "Jump to a room or person" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "Room or person" })).ToBeFocusedAsync();
        await alice.Keyboard.TypeAsync($"plans-{id}");
        await Expect(dialog.GetByRole(AriaRole.Option).First).ToContainTextAsync($"plans-{id}");
        await alice.Keyboard.PressAsync("Enter");

        await Expect(alice).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/chat/plans-{id}$"));
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(alice).ToHaveTitleAsync($"#plans-{id} — ChatApp");
    }

    [BrowserFact]
    public async Task Unread_counts_and_the_tab_title_update_live_and_clear_when_the_room_opens()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var bob = await SignUpAsync($"Bob {id}");
        await bob.GotoAsync($"/dm/{Uri.EscapeDataString($"Alice {id}")}");
        await bob.WaitForCircuitAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await bob.SendAsync($"psst {id}");

        // Alice sits in #general; Bob's direct message counts as unread in her sidebar and title.
        var dmLink = alice.DirectMessagesNav().GetByRole(AriaRole.Link, new() { Name = $"Bob {id}" });
        await Expect(dmLink).ToContainTextAsync("1 unread");
        await Expect(alice).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^\(\d+\) "));

        await dmLink.ClickAsync();
        await Expect(alice.Message($"psst {id}")).ToBeVisibleAsync();
        await Expect(dmLink).Not.ToContainTextAsync("unread");
        // The title follows the room opened in the circuit (set by DocumentTitle; no interactive HeadOutlet).
        await Expect(alice).ToHaveTitleAsync($"Bob {id} — ChatApp");

        await bob.SendAsync($"second {id}");
        await Expect(alice.Message($"second {id}")).ToBeVisibleAsync();
        await Expect(dmLink).Not.ToContainTextAsync("unread");
        await alice.RoomsNav().GetByRole(AriaRole.Link, new() { Name = "general" }).ClickAsync();
        await Expect(alice).ToHaveTitleAsync("#general — ChatApp");
    }

    [BrowserFact]
    public async Task Following_a_dm_link_creates_nothing_until_Start_conversation_is_clicked()
    {
        var id = BrowserFixture.Unique();
        var alice = await SignUpAsync($"Alice {id}");
        var mallory = await SignUpAsync($"Mallory {id}");

        await mallory.GotoAsync($"/dm/{Uri.EscapeDataString($"Alice {id}")}");
        await mallory.WaitForCircuitAsync();
        var start = mallory.GetByRole(AriaRole.Button, new() { Name = "Start conversation" });
        await Expect(start).ToBeVisibleAsync();
        await Expect(mallory.GetByText($"You have no conversation with Alice {id} yet.")).ToBeVisibleAsync();
        await Expect(mallory.Composer()).ToHaveCountAsync(0);
        Assert.Equal(0, await CountDirectRoomsAsync($"Mallory {id}"));

        await start.ClickAsync();
        await Expect(mallory.Composer()).ToBeVisibleAsync();
        await mallory.SendAsync($"hello {id}");
        await Expect(alice.DirectMessagesNav().GetByRole(AriaRole.Link, new() { Name = $"Mallory {id}" })).ToBeVisibleAsync();
        Assert.Equal(1, await CountDirectRoomsAsync($"Mallory {id}"));
    }

    [BrowserTheory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Leaving_a_room_and_going_back_offers_to_join_it_again_and_the_tab_keeps_working(int width, int height)
    {
        var id = BrowserFixture.Unique();
        var room = $"lobby-{id}";
        var alice = await SignUpAsync($"Alice {id}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create a room" }).ClickAsync();
        await alice.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(room);
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        await Expect(alice).ToHaveURLAsync(new Regex($"/chat/{room}$"));
        var bob = await SignUpAsync($"Bob {id}");
        await bob.SetViewportSizeAsync(width, height);
        await bob.GotoAsync($"/chat/{room}");
        await bob.WaitForCircuitAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = $"Join #{room}" }).ClickAsync();
        await bob.SendAsync($"first visit {id}");

        await bob.GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await bob.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Expect(bob).ToHaveURLAsync(new Regex("/chat/general$"));
        await Expect(bob.Composer()).ToBeEnabledAsync();

        // Back, in the same tab: the room the list was just showing is one Bob may only join now. The page opened it
        // while the old log's after-render call was still due — with an element no longer in the browser, which
        // ended the tab's circuit ("Something went wrong").
        await bob.GoBackAsync();
        await Expect(bob).ToHaveURLAsync(new Regex($"/chat/{room}$"));
        var join = bob.GetByRole(AriaRole.Button, new() { Name = $"Join #{room}" });
        await Expect(join).ToBeVisibleAsync();
        await Expect(bob.Locator(".online-count")).ToHaveCountAsync(0);
        await bob.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"chatapp-left-room-{width}-{id}.png") });
        await join.ClickAsync();
        await bob.SendAsync($"back again {id}");
        await Expect(alice.Message($"back again {id}")).ToBeVisibleAsync();
        await Expect(bob.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task The_page_script_given_a_log_that_left_the_page_reports_it_and_scrolls_nothing()
    {
        // What the browser finds for an element a render removed while the call was on its way: null.
        var page = await SignUpAsync($"Scroller {BrowserFixture.Unique()}");

        var followed = await page.EvaluateAsync<bool>("""
            async () => {
                const script = await import('./Components/Pages/Chat/ChatPage.razor.js');
                const handle = script.attach({ invokeMethodAsync: () => Promise.resolve() });
                const followed = handle.setLog(null);
                script.scrollToBottom(null);
                script.scrollToMessage(null, 1);
                script.captureAnchor(null);
                script.restoreAnchor(null);
                handle.dispose();
                return followed;
            }
            """);

        Assert.False(followed);
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    private async Task<int> CountDirectRoomsAsync(string displayName)
    {
        await using var db = fixture.App.CreateDbContext();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.RoomMembers.Where(m => m.User.DisplayName == displayName && m.Room.Kind == ChatApp.Data.RoomKind.Direct));
    }
}
