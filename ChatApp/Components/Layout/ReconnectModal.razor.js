// Shows the reconnect dialog's part for each state blazor.web.js reports, and wires its buttons
// (the page's CSP forbids inline handlers). States: show, retrying, failed, paused, rejected, resume-failed, hide.
const dialog = document.getElementById('components-reconnect-modal');
const status = document.getElementById('reconnect-status');
let wasShown = false;

function setState(state) {
    dialog.dataset.state = state;
    if (state === 'hide') {
        if (dialog.open) {
            dialog.close();
        }
        if (wasShown) {
            announce('Connected again.');
        }
        wasShown = false;
        return;
    }
    wasShown = true;
    if (!dialog.open) {
        dialog.showModal();
    }
    if (state === 'failed') {
        document.addEventListener('visibilitychange', retryWhenVisible);
    }
}

function announce(text) {
    status.textContent = text;
    status.classList.add('visible');
    setTimeout(() => {
        status.classList.remove('visible');
        status.textContent = '';
    }, 4000);
}

async function retry() {
    document.removeEventListener('visibilitychange', retryWhenVisible);
    setState('show');
    try {
        // false: the server answered but no longer holds this circuit; a paused one may still be resumable.
        if (!await Blazor.reconnect() && !await Blazor.resumeCircuit()) {
            setState('rejected');
        }
    } catch {
        setState('failed');
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            setState('resume-failed');
        }
    } catch {
        setState('resume-failed');
    }
}

function retryWhenVisible() {
    if (document.visibilityState === 'visible') {
        retry();
    }
}

if (dialog) {
    dialog.addEventListener('components-reconnect-state-changed', event => setState(event.detail.state));
    // Escape would close the modal dialog while the page underneath is not usable.
    dialog.addEventListener('cancel', event => event.preventDefault());
    dialog.addEventListener('click', event => {
        const action = event.target.closest('[data-reconnect-action]')?.dataset.reconnectAction;
        if (action === 'reload') {
            location.reload();
        } else if (action === 'retry') {
            retry();
        } else if (action === 'resume') {
            resume();
        }
    });
}

// .NET's client retries at once ten times, then only every 5 s (later 30 s). When the browser says the network is
// back, retry now: otherwise live messages (and the catch-up) wait for the next tick, up to 5 s after the network.
window.addEventListener('online', () => {
    if (dialog?.open && (dialog.dataset.state === 'show' || dialog.dataset.state === 'retrying')) {
        window.Blazor?.reconnect?.();
    } else if (dialog?.open && dialog.dataset.state === 'failed') {
        retry();
    }
});
