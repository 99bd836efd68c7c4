// Enter sends, Shift+Enter inserts a new line. Delegated from the document and loaded with the page, so it
// works from the first keystroke; it only acts once the server marks the composer interactive.
document.addEventListener('keydown', event => {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.matches('[data-enter-sends]')) {
        return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && !event.isComposing) {
        event.preventDefault();
        textarea.form?.requestSubmit();
    }
});
