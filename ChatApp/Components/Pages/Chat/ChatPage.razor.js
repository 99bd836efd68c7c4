// Scroll anchoring, "at the bottom" tracking, tab visibility and activity for the chat page.
const nearBottomPx = 48;
const loadOlderWithinPx = 150;
const activityEveryMs = 30_000;

// Follows the page's message log, which changes when another room opens (setLog). The element a call names may have
// left the page while the call was on its way (a render removed it): then there is nothing to follow or scroll.
export function attach(page) {
    let log = null;
    let atBottom = true;
    let lastActivity = 0;

    // Set by the server while the loaded messages stop short of the newest one.
    const newerToLoad = () => log.dataset.hasNewer === 'true';
    // The window's ends as this scroll saw them: the server ignores a request made against an older window.
    const edge = last => {
        const articles = log.querySelectorAll('article[data-sequence]');
        return Number((last ? articles[articles.length - 1] : articles[0])?.dataset.sequence ?? 0);
    };

    const onScroll = () => {
        const bottom = log.scrollHeight - log.scrollTop - log.clientHeight < nearBottomPx;
        if (bottom !== atBottom) {
            atBottom = bottom;
            page.invokeMethodAsync('OnAtBottomChanged', bottom);
        }
        if (bottom && newerToLoad()) {
            const last = edge(true);
            keep = { sequence: last, offset: offsetOf(last) };
            page.invokeMethodAsync('OnNearBottom', last);
        }
        if (log.scrollTop < loadOlderWithinPx && log.scrollHeight > log.clientHeight) {
            page.invokeMethodAsync('OnNearTop', edge(false));
        }
    };
    const onVisibility = () => page.invokeMethodAsync('OnVisibilityChanged', document.visibilityState === 'visible');
    const onActivity = () => {
        const now = Date.now();
        if (now - lastActivity > activityEveryMs) {
            lastActivity = now;
            page.invokeMethodAsync('OnActivity');
        }
    };

    // Follow the conversation: when messages are added while the reader is at the bottom, stay there.
    // (The server renders a new message without a round trip to scroll; this keeps that cheap.)
    // Newer messages asked for at the bottom arrive below the last one seen: keep that one where it was, so the
    // reader is not left pinned to the new bottom (where scrolling further gives no scroll event to load more).
    let keep = null;
    const offsetOf = sequence => {
        const article = log.querySelector(`article[data-sequence="${sequence}"]`);
        return article ? offsetIn(log, article) : null;
    };
    const follow = new MutationObserver(() => {
        if (keep && edge(true) !== keep.sequence) {
            const now = offsetOf(keep.sequence);
            if (now !== null && keep.offset !== null) {
                log.scrollTop += now - keep.offset;
            }
            keep = null;
        }
        if (atBottom && !newerToLoad()) {
            log.scrollTop = log.scrollHeight;
        }
    });
    document.addEventListener('visibilitychange', onVisibility);
    for (const type of ['keydown', 'pointerdown', 'wheel']) {
        document.addEventListener(type, onActivity, { passive: true });
    }
    return {
        // Returns whether the log is on the page (and now followed).
        setLog(newLog) {
            log?.removeEventListener('scroll', onScroll);
            follow.disconnect();
            log = newLog;
            atBottom = true;
            if (!log) {
                return false;
            }
            log.addEventListener('scroll', onScroll, { passive: true });
            follow.observe(log, { childList: true, subtree: true });
            return true;
        },
        dispose() {
            follow.disconnect();
            log?.removeEventListener('scroll', onScroll);
            document.removeEventListener('visibilitychange', onVisibility);
            for (const type of ['keydown', 'pointerdown', 'wheel']) {
                document.removeEventListener(type, onActivity);
            }
        },
    };
}

export function environment() {
    return {
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        visible: document.visibilityState === 'visible',
        compact: matchMedia('(max-width: 599.98px)').matches,
    };
}

export function matchesMedia(query) {
    return matchMedia(query).matches;
}

export function scrollToMessage(log, sequence) {
    log?.querySelector(`[data-sequence="${Number(sequence)}"]`)?.scrollIntoView({ block: 'center' });
}

export function scrollToBottom(log) {
    if (log) {
        log.scrollTop = log.scrollHeight;
    }
}

// Keeps the message in view still while older pages are added above it. The anchor is the first message in view,
// not the distance from the bottom: in a tab at its cap the newest messages are dropped below as older ones are
// added above, and the bottom moves too.
export function captureAnchor(log) {
    if (!log) {
        return;
    }
    const top = log.getBoundingClientRect().top;
    const first = [...log.querySelectorAll('article[data-sequence]')].find(a => a.getBoundingClientRect().bottom > top);
    log.dataset.anchor = first ? `${first.dataset.sequence}:${offsetIn(log, first)}` : '';
}

export function restoreAnchor(log) {
    const [sequence, offset] = (log?.dataset.anchor ?? '').split(':');
    const article = sequence ? log.querySelector(`article[data-sequence="${Number(sequence)}"]`) : null;
    if (article) {
        log.scrollTop += offsetIn(log, article) - Number(offset);
    }
}

// How far below the top of the log's visible area a message starts.
function offsetIn(log, article) {
    return article.getBoundingClientRect().top - log.getBoundingClientRect().top;
}

// Browser notifications for mentions and direct messages while the tab is hidden.
export function notificationPermission() {
    return 'Notification' in window ? Notification.permission : 'unsupported';
}

export async function requestNotifications() {
    return 'Notification' in window ? await Notification.requestPermission() : 'unsupported';
}

export function notify(title, body, tag) {
    if ('Notification' in window && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
        const notification = new Notification(title, { body, tag });
        notification.onclick = () => { window.focus(); notification.close(); };
    }
}

// A room's row feed (docs/architecture.md, "Row feeds"): the server sends each new row, rendered, over a
// socket of its own, and reads nothing from it. A row goes into the open log's live-rows box in sequence order, unless
// the list already shows it; when the list renders rows itself (data-upto moves), the live window moves past them
// (data-from) or another room opens, the carried copies go. If the socket closes, the circuit renders every row again:
// nothing here reconnects. The feed also says who is typing in the room; the page's typing line is then kept here.
let rowFeed = null;

export function connectRows(url) {
    rowFeed?.close();
    const address = new URL(url, document.baseURI);
    address.protocol = address.protocol === 'https:' ? 'wss:' : 'ws:';
    rowFeed = new WebSocket(address);
    rowFeed.onmessage = event => receive(event.data);
}

// "{room} {sequence} {author}\n{row}", "typing {room} {user} {timeout ms}\n{name}" or "stopped {room} {user}".
function receive(data) {
    const newline = data.indexOf('\n');
    const head = data.slice(0, newline).split(' ');
    if (head[0] === 'typing') {
        startTyping(head[1], head[2], Number(head[3]), data.slice(newline + 1));
    } else if (head[0] === 'stopped') {
        stopTyping(head[1], head[2]);
    } else {
        stopTyping(head[0], head[2]);
        placeRow(head[0], head[1], data.slice(newline + 1));
    }
}

// Who is typing, per room, each until their signal times out, they post, or the server says they stopped.
const typists = new Map();

function startTyping(room, user, timeout, name) {
    let inRoom = typists.get(room);
    if (!inRoom) {
        typists.set(room, inRoom = new Map());
    }
    clearTimeout(inRoom.get(user)?.timer);
    inRoom.set(user, { name, timer: setTimeout(() => stopTyping(room, user), timeout) });
    showTyping(room);
}

function stopTyping(room, user) {
    const typist = typists.get(room)?.get(user);
    if (typist) {
        clearTimeout(typist.timer);
        typists.get(room).delete(user);
        showTyping(room);
    }
}

// The same words as the circuit's line (TypingState.Text).
function showTyping(room) {
    const line = document.querySelector(`.typing-indicator[data-room="${Number(room)}"]`);
    if (!line) {
        return;
    }
    const names = [...(typists.get(room)?.values() ?? [])].map(typist => typist.name).sort((a, b) => a.localeCompare(b));
    line.textContent = names.length === 0 ? ''
        : names.length === 1 ? `${names[0]} is typing…`
        : names.length === 2 ? `${names[0]} and ${names[1]} are typing…`
        : 'Several people are typing…';
}

function placeRow(room, sequence, html) {
    const box = document.querySelector(`.live-rows[data-room="${Number(room)}"]`);
    if (!box || Number(sequence) <= Number(box.dataset.upto) || box.querySelector(`:scope > [data-carried="${Number(sequence)}"]`)) {
        return;
    }
    watchRows(box);
    const row = document.createElement('div');
    row.style.display = 'contents';
    row.dataset.carried = sequence;
    row.dataset.room = room;
    row.innerHTML = html;
    const later = [...box.children].find(r => Number(r.dataset.carried) > Number(sequence));
    box.insertBefore(row, later ?? null);
}

const watchedBoxes = new WeakSet();

function watchRows(box) {
    if (watchedBoxes.has(box)) {
        return;
    }
    watchedBoxes.add(box);
    new MutationObserver(() => {
        for (const row of [...box.children]) {
            const sequence = Number(row.dataset.carried);
            if (row.dataset.room !== box.dataset.room || sequence <= Number(box.dataset.upto) || sequence < Number(box.dataset.from)) {
                row.remove();
            }
        }
    }).observe(box, { attributes: true, attributeFilter: ['data-upto', 'data-from', 'data-room'] });
}
