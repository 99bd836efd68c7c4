// Enter sends, Shift+Enter inserts a new line. Delegated from the document and loaded with the page, so it
// works from the first keystroke; it only acts once the server marks the composer interactive.
// While the @mention list is open, arrow keys, Enter, Tab and Escape drive the list instead.
const mentionKeys = new Set(['ArrowUp', 'ArrowDown', 'Enter', 'Tab', 'Escape']);

document.addEventListener('keydown', event => {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.matches('[data-enter-sends]')) {
        return;
    }
    if (textarea.dataset.mentionOpen === 'true' && mentionKeys.has(event.key) && textarea.chatComposer) {
        event.preventDefault();
        textarea.chatComposer.invokeMethodAsync('OnMentionKey', event.key);
        return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && !event.isComposing) {
        event.preventDefault();
        textarea.form?.requestSubmit();
    }
});

// The composer is only ever sent through the circuit: while it is down, a native submission would navigate
// away from the page (and the draft) to a plain GET of the chat URL.
document.addEventListener('submit', event => {
    if (event.target instanceof HTMLFormElement && event.target.matches('form.composer')) {
        event.preventDefault();
    }
}, true);

// "@que" right before the caret (start of text or after a space) is a mention being typed.
const mentionPattern = /(?:^|\s)@([\p{L}\p{N}._'\- ]{0,40})$/u;

function mentionQuery(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = mentionPattern.exec(before);
    return match ? { query: match[1], start: before.length - match[1].length - 1 } : null;
}

// Drafts are kept per room in this browser, so a reload (or a crash) does not lose what was being written.
const draftPrefix = 'chatapp-draft:';

function saveDraft(textarea) {
    const key = textarea.dataset.draftKey;
    if (!key) {
        return;
    }
    try {
        if (textarea.value.trim() === '') {
            localStorage.removeItem(draftPrefix + key);
        } else {
            localStorage.setItem(draftPrefix + key, textarea.value);
        }
    } catch {
        // Storage full or disabled: the draft just is not kept.
    }
}

export function readDraft(key) {
    try {
        return localStorage.getItem(draftPrefix + key);
    } catch {
        return null;
    }
}

function clearDraft(key) {
    try {
        localStorage.removeItem(draftPrefix + key);
    } catch {
        // Nothing was kept.
    }
}

// A send the server stored empties the box in the same render that bumps the composer's data-sent: the draft goes too.
new MutationObserver(records => {
    for (const { target } of records) {
        if (target instanceof HTMLTextAreaElement && target.dataset.draftKey) {
            clearDraft(target.dataset.draftKey);
        }
    }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-sent'] });

document.addEventListener('input', event => {
    const textarea = event.target;
    if (textarea instanceof HTMLTextAreaElement && textarea.matches('[data-enter-sends]')) {
        saveDraft(textarea);
    }
    if (textarea instanceof HTMLTextAreaElement && textarea.matches('[data-enter-sends]') && textarea.chatComposer) {
        const found = mentionQuery(textarea);
        const query = found?.query ?? null;
        if (query !== textarea.lastMentionQuery) {
            textarea.lastMentionQuery = query;
            textarea.chatComposer.invokeMethodAsync('OnMentionQuery', query);
        }
    }
});

export function attach(textarea, composer) {
    textarea.chatComposer = composer;
}

// Replaces the "@que" being typed with the chosen "@Name " and tells Blazor the value changed.
export function completeMention(textarea, name) {
    const found = mentionQuery(textarea);
    if (!found) {
        return;
    }
    const replacement = `@${name} `;
    textarea.setRangeText(replacement, found.start, textarea.selectionStart, 'end');
    textarea.lastMentionQuery = null;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.focus();
}

export function focus(textarea) {
    textarea.focus();
}

// Dragging files over the page turns the attach input into a drop target over the composer.
let dragDepth = 0;
const hasFiles = event => [...(event.dataTransfer?.types ?? [])].includes('Files');
document.addEventListener('dragenter', event => {
    if (hasFiles(event)) {
        dragDepth++;
        document.body.classList.add('dragging-files');
    }
});
document.addEventListener('dragleave', event => {
    if (hasFiles(event) && --dragDepth <= 0) {
        dragDepth = 0;
        document.body.classList.remove('dragging-files');
    }
});
for (const type of ['drop', 'dragend']) {
    document.addEventListener(type, () => {
        dragDepth = 0;
        document.body.classList.remove('dragging-files');
    });
}
