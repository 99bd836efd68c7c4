using System.Reflection;
using Bunit;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.RenderTree;

// BL0006: the tests read a component's render tree (what a tab keeps in server memory), through the renderer's own
// accessor; nothing here renders or changes frames.
#pragma warning disable BL0006

namespace ChatApp.Components.Pages.Chat;

[Trait("Cost", "component")]
public sealed class MemberListTests : ChatComponentContext
{
    private static readonly RoomPerson[] Hundred =
        [.. Enumerable.Range(1, 100).Select(i => new RoomPerson($"user-{i}", $"Person {i:000}"))];

    private IRenderedComponent<MemberList> RenderList(string meId, IReadOnlyList<RoomPerson> members) => Render<MemberList>(p => p
        .Add(x => x.Members, members)
        .Add(x => x.MeId, meId)
        .Add(x => x.Presence, id => id == "user-2" ? PresenceStatus.Online : PresenceStatus.Offline)
        .Add(x => x.Status, person => person.UserId == "user-3" ? new PersonalStatus("📅", "In a meeting", null) : null));

    /// <summary>The frames of the component's current render tree, as the renderer keeps them for as long as the tab is open.</summary>
    private IReadOnlyList<RenderTreeFrame> FramesOf(IRenderedComponent<MemberList> list)
    {
        var method = typeof(Renderer).GetMethod("GetCurrentRenderTreeFrames", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        var frames = (ArrayRange<RenderTreeFrame>)method.Invoke(Renderer, [list.ComponentId])!;
        return frames.Array[..frames.Count];
    }

    [Fact]
    public void Each_person_is_one_frame_of_shared_html_and_the_list_reads_as_before()
    {
        var list = RenderList("user-1", Hundred);

        // Each row was an element with its attributes, spans and texts: ~17 frames a person, 1,720 for a list of 100,
        // kept twice (the current and the next render tree) in every open tab.
        var frames = FramesOf(list);
        Assert.True(frames.Count <= 130, $"{frames.Count} frames");

        var rows = list.FindAll("aside[aria-label=Members] ul > li");
        Assert.Equal(100, rows.Count);
        // Online people first, then by name.
        var online = rows[0];
        Assert.Equal("Person 002", online.QuerySelector(".member-name")!.TextContent);
        Assert.NotNull(online.QuerySelector(".presence-online"));
        Assert.Equal("Person 001 (you)", rows[1].QuerySelector(".member-name")!.TextContent);
        var busy = rows.Single(r => r.QuerySelector(".member-name")!.TextContent == "Person 003");
        Assert.Equal("📅 In a meeting", busy.QuerySelector(".member-status")!.GetAttribute("title"));
        Assert.Null(rows[^1].QuerySelector(".member-status"));
    }

    [Fact]
    public void Two_readers_lists_share_the_rows_they_show_alike()
    {
        var ann = FramesOf(RenderList("user-1", Hundred)).Where(f => f.FrameType == RenderTreeFrameType.Markup).Select(f => f.MarkupContent).ToList();
        var bob = FramesOf(RenderList("user-100", Hundred)).Where(f => f.FrameType == RenderTreeFrameType.Markup).Select(f => f.MarkupContent).ToList();

        // Person 050 looks the same to both: one string on the server, not one per tab.
        var annRow = ann.Single(html => html.Contains("Person 050", StringComparison.Ordinal));
        var bobRow = bob.Single(html => html.Contains("Person 050", StringComparison.Ordinal));
        Assert.Same(annRow, bobRow);
        // Each reader's own row is their own: "(you)" only for them.
        Assert.Contains("(you)", ann.Single(html => html.Contains("Person 001", StringComparison.Ordinal)));
        Assert.DoesNotContain("(you)", bob.Single(html => html.Contains("Person 001", StringComparison.Ordinal)));
    }
}
