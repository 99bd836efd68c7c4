using Microsoft.AspNetCore.Components;

namespace ChatApp.Components.Pages.Chat;

/// <summary>
/// A click on a button of a message row that is shared HTML (<see cref="MessageRows"/>): rows carry no handlers of
/// their own, so the browser reports which button (<c>data-action</c>) of which row (<c>data-sequence</c>) was
/// clicked to the one handler on the message list. Everything it names is checked again on the server.
/// </summary>
public sealed class RowActionEventArgs : EventArgs
{
    public string? Action { get; set; }

    public long Sequence { get; set; }

    /// <summary>The reaction a reaction button stands for.</summary>
    public string? Emoji { get; set; }
}

/// <summary>Registers <c>@onrowaction</c>; the browser side is <c>wwwroot/ChatApp.lib.module.js</c>.</summary>
[EventHandler("onrowaction", typeof(RowActionEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers
{
}
