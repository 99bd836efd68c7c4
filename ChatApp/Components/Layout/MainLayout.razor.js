// Keyboard shortcuts for the whole app. They only press buttons and follow links the server rendered:
// Ctrl/Cmd+K opens the quick switcher, Alt+Up/Down go to the previous/next room in the sidebar,
// Escape closes the open side panel or the room drawer (dialogs close themselves).
// The account menu (details.user-menu) behaves as a menu button: opening it focuses its first entry, arrow keys,
// Home and End move between entries, Escape and a click elsewhere close it.
const isMac = navigator.platform.startsWith('Mac');

// The tab's title in a circuit (DocumentTitle.razor says why it is not an interactive HeadOutlet).
globalThis.chatApp = { ...globalThis.chatApp, setTitle: title => { document.title = title; } };

function go(step) {
    const links = [...document.querySelectorAll('nav.room-nav a.room-link')];
    if (links.length === 0) {
        return false;
    }
    const current = links.findIndex(link => link.getAttribute('aria-current') === 'page');
    const next = links[(current + step + links.length) % links.length];
    next.click();
    return true;
}

const menuItems = menu => [...menu.querySelectorAll('[role=menuitem]')];

function closeMenu(menu, focusButton) {
    menu.open = false;
    if (focusButton) {
        menu.querySelector('summary').focus();
    }
}

document.addEventListener('toggle', event => {
    const menu = event.target;
    if (menu instanceof HTMLDetailsElement && menu.matches('.user-menu') && menu.open) {
        menuItems(menu)[0]?.focus();
    }
}, true);

document.addEventListener('click', event => {
    for (const menu of document.querySelectorAll('details.user-menu[open]')) {
        if (!menu.contains(event.target)) {
            closeMenu(menu, false);
        }
    }
});

function menuKey(event) {
    const menu = event.target.closest?.('details.user-menu[open]');
    if (!menu) {
        return false;
    }
    if (event.key === 'Escape') {
        closeMenu(menu, true);
        return true;
    }
    const items = menuItems(menu);
    const current = items.indexOf(document.activeElement);
    const next = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined || items.length === 0) {
        return false;
    }
    items[(next + items.length) % items.length].focus();
    return true;
}

document.addEventListener('keydown', event => {
    if (event.defaultPrevented || event.isComposing) {
        return;
    }
    if (menuKey(event)) {
        event.preventDefault();
        return;
    }
    const modifier = isMac ? event.metaKey : event.ctrlKey;
    if (modifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        const button = document.getElementById('quick-switcher-button');
        if (button) {
            event.preventDefault();
            button.click();
        }
    } else if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        if (go(event.key === 'ArrowUp' ? -1 : 1)) {
            event.preventDefault();
        }
    } else if (event.key === 'Escape' && !document.querySelector('.mud-dialog-container, .mud-popover-open')) {
        // The last one on screen: a drawer slid out of view keeps its button, off the viewport.
        const onScreen = button => {
            const box = button.getBoundingClientRect();
            return box.width > 0 && box.right > 0 && box.left < innerWidth && box.bottom > 0 && box.top < innerHeight;
        };
        const close = [...document.querySelectorAll('[data-close-on-escape]')].filter(onScreen).pop();
        if (close) {
            event.preventDefault();
            close.click();
        }
    }
});

// Forms that need the reader's time zone (do-not-disturb until tomorrow 09:00, a status's custom expiry) get it on submit.
document.addEventListener('submit', event => {
    for (const input of event.target.querySelectorAll?.('input[data-time-zone]') ?? []) {
        input.value = Intl.DateTimeFormat().resolvedOptions().timeZone;
    }
}, true);
