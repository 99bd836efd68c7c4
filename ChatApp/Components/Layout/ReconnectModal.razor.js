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
