// Blazor JS initializer. Message rows are HTML shared by every reader of a message, without handlers of their own:
// a click on a row's button becomes one "rowaction" event for the message list's single handler, naming the button's
// action and the row's sequence (RowActionEventArgs). Rows the server renders live (data-live) handle their own clicks.
export function afterWebStarted(blazor) {
    blazor.registerCustomEventType('rowaction', {
        browserEventName: 'click',
        createEventArgs: event => {
            const button = event.target instanceof Element ? event.target.closest('[data-action]') : null;
            const row = button?.closest('article[data-sequence]');
            if (!button || !row || row.hasAttribute('data-live') || button.disabled) {
                return { action: null, sequence: 0, emoji: null };
            }
            return { action: button.dataset.action, sequence: Number(row.dataset.sequence), emoji: button.dataset.emoji ?? null };
        },
    });
}
