// The protocol's vocabulary as the Rust side labels it (the `catalog`
// command): event types with their groups, severities, preference
// columns. The UI keeps no list of its own; it is loaded once at start.
import { invoke } from './tauri.js';

let loaded = null;

/** Loads the catalog; `app.js` awaits it before the first view shows. */
export async function load() {
  loaded ??= await invoke('catalog');
  return loaded;
}

/** The loaded catalog. */
export function catalog() {
  return loaded;
}

/** "Critical" for `critical`; the value itself if the scale lacks it. */
export function severityLabel(id) {
  return loaded?.severities.find((s) => s.id === id)?.label ?? id;
}
