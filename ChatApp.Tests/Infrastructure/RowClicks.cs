using AngleSharp.Dom;
using Bunit;
using ChatApp.Components.Pages.Chat;

namespace ChatApp.Tests.Infrastructure;

public static class RowClicks
{
    /// <summary>
    /// Clicks a button of a message row as the browser would: on a live row its own handler runs; on a shared row
    /// (MessageRows' HTML, no handlers) wwwroot/ChatApp.lib.module.js turns the click into one "rowaction" event
    /// naming the button's data-action and the row's sequence, which bubbles to the message list.
    /// </summary>
    public static void Press(this IElement button)
    {
        var row = button.Closest("article[data-sequence]") ?? throw new InvalidOperationException("The button is not in a message row.");
        if (row.HasAttribute("data-live"))
        {
            button.Click();
            return;
        }
        var action = button.GetAttribute("data-action") ?? throw new InvalidOperationException("A shared row's button without data-action does nothing.");
        button.TriggerEvent("onrowaction", new RowActionEventArgs
        {
            Action = action,
            Sequence = long.Parse(row.GetAttribute("data-sequence")!, System.Globalization.CultureInfo.InvariantCulture),
            Emoji = button.GetAttribute("data-emoji"),
        });
    }
}
