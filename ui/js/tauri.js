// The only bridge to the Rust side: Tauri's IPC for commands and events.
// No npm package: these are the calls @tauri-apps/api makes itself.

const ipc = () => window.__TAURI_INTERNALS__;

/** Calls a `#[tauri::command]`; rejects with the command's error text. */
export function invoke(command, args = {}) {
  return ipc().invoke(command, args);
}

/** Subscribes to an app event; `handler` gets the payload. Resolves to a
 *  function that unsubscribes. */
export async function listen(event, handler) {
  const handlerId = ipc().transformCallback((message) => handler(message.payload));
  const eventId = await invoke('plugin:event|listen', {
    event, target: { kind: 'Any' }, handler: handlerId,
  });
  return () => invoke('plugin:event|unlisten', { event, eventId });
}
