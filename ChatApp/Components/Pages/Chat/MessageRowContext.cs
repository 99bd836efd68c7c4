using ChatApp.Chat;
using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// What every message row of the open room shares: the reader, their time zone, the room's member names and the
/// actions on a message. Cascaded once (IsFixed) from the page; rows compare it in their render check.
/// </summary>
public sealed class MessageRowContext
{
    public required string MeId { get; init; }

    /// <summary>An admin may remove anyone's message (checked again on the server).</summary>
    public required bool CanModerate { get; init; }

    /// <summary>Known once the browser said so, after the first interactive render.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Room members by display name (plus "room"), to mark @mentions; replaced when members change.</summary>
    public IReadOnlyDictionary<string, string> Members { get; set; } = new Dictionary<string, string>();

    /// <summary>Saves an edit; returns an error to show, or null.</summary>
    public required Func<ChatMessage, string, Task<string?>> Edit { get; init; }

    public EventCallback<ChatMessage> Delete { get; init; }

    public EventCallback<ChatMessage> Reply { get; init; }

    public EventCallback<(ChatMessage Message, string Emoji)> React { get; init; }

    public EventCallback<long> Jump { get; init; }

    /// <summary>Pins the message to its room, or unpins it (the room's setting is checked on the server).</summary>
    public EventCallback<ChatMessage> Pin { get; init; }

    /// <summary>Saves the message for the reader, or unsaves it.</summary>
    public EventCallback<ChatMessage> Save { get; init; }

    /// <summary>Opens the thread under a root message, optionally at one of its replies.</summary>
    public EventCallback<(long RootId, long? Reply)> OpenThread { get; init; }

    /// <summary>
    /// The one row of the room's list shown live (a menu or the editor open on it), by message id; every other row is
    /// shared HTML (<see cref="MessageRows"/>).
    /// </summary>
    public (long MessageId, RowMenu Menu)? ActiveRow { get; set; }

    /// <summary>Rows inside the thread panel: no thread summary, no "Reply in thread".</summary>
    public bool InThread { get; init; }

    /// <summary>The same context for the rows of a thread panel, whose quotes and jumps stay inside the thread.</summary>
    public MessageRowContext ForThread(EventCallback<ChatMessage> reply, EventCallback<long> jump) => new()
    {
        MeId = MeId,
        CanModerate = CanModerate,
        TimeZone = TimeZone,
        Members = Members,
        Edit = Edit,
        Delete = Delete,
        Reply = reply,
        React = React,
        Jump = jump,
        Pin = Pin,
        Save = Save,
        InThread = true,
    };
}

/// <summary>What is open on a live message row.</summary>
public enum RowMenu
{
    None,
    Picker,
    More,
    Edit,
}
