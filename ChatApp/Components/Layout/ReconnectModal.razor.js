// Wires the reconnect dialog's buttons; the page's CSP forbids inline handlers.
const modal = document.getElementById('components-reconnect-modal');

modal?.addEventListener('click', async event => {
    const action = event.target.closest('[data-reconnect-action]')?.dataset.reconnectAction;
    if (action === 'reload') {
        location.reload();
    } else if (action === 'retry') {
        // Blazor.reconnect resolves to false when the server no longer knows the circuit.
        const resumed = await window.Blazor?.reconnect?.();
        if (resumed === false) {
            location.reload();
        }
    }
});

// .NET's client retries at once ten times, then only every 5 s (later 30 s). When the browser says the network is
// back, retry now: otherwise live messages (and the catch-up) wait for the next tick, up to 5 s after the network.
window.addEventListener('online', () => {
    if (modal?.classList.contains('components-reconnect-show')) {
        window.Blazor?.reconnect?.();
    }
});
