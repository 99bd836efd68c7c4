// Enter sends, Shift+Enter inserts a new line; the textarea grows with its content.
const maxHeightPx = 200;

function grow(textarea) {
    textarea.style.height = 'auto';
    textarea.style.height = Math.min(textarea.scrollHeight, maxHeightPx) + 'px';
}

export function attach(textarea) {
    textarea.addEventListener('keydown', event => {
        if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && !event.isComposing) {
            event.preventDefault();
            textarea.form?.requestSubmit();
        }
    });
    textarea.addEventListener('input', () => grow(textarea));
    grow(textarea);
}

export function reset(textarea) {
    grow(textarea);
    textarea.focus();
}
