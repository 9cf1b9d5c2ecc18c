// Preferences: one grid of event type × channel. Pop-up and sound are this
// desktop's own (saved locally, applied at once); in-app, email, Slack and
// Teams are the server's matrix (saved through the preferences API).
// Below it: minimum severities, quiet hours, reminder leads, autostart.
import { invoke } from './tauri.js';
import { h } from './dom.js';
import { label } from './format.js';

const LOCAL = [['popup', 'Pop-up'], ['sound', 'Sound']];
const SERVER = [['in_app', 'In-app'], ['email', 'Email'], ['slack', 'Slack'], ['teams', 'Teams']];
const LEADS = [[1440, '1 day before'], [240, '4 hours before'], [60, '1 hour before'], [15, '15 minutes before'], [0, 'At the deadline']];

/** Namespaced beats legacy; a missing key means enabled (PROTOCOL.md). */
export function serverEnabled(prefs, channel, type) {
  return prefs[`${channel}.${type}`] ?? prefs[type] ?? true;
}

export async function mount(root) {
  const [catalog, local, server] = await Promise.all([
    invoke('catalog'), invoke('local_prefs'),
    invoke('server_prefs').catch((e) => ({ error: String(e), preferences: {} })),
  ]);
  const saved = h('p', { id: 'prefs-saved', class: 'saved', role: 'status', 'aria-live': 'polite' });
  const say = (text) => { saved.textContent = text; };
  const saveLocal = async () => {
    try { await invoke('save_local_prefs', { prefs: local }); say('Saved.'); } catch (e) { say(`Not saved: ${e}`); }
  };
  const serverPrefs = server.preferences;
  const saveServer = async () => {
    try {
      const back = await invoke('save_server_prefs', { preferences: serverPrefs });
      Object.assign(serverPrefs, back.preferences);
      say('Saved on the server.');
    } catch (e) { say(`Not saved on the server: ${e}`); }
  };

  const head = h('tr', {}, h('th', { scope: 'col' }, 'Event'),
    [...LOCAL, ...SERVER].map(([, name]) => h('th', { scope: 'col' }, name)));
  const body = h('tbody');
  for (const type of catalog.event_types) {
    const cells = [];
    for (const [channel, name] of LOCAL) {
      const defaults = channel === 'popup' ? type.default_popup : type.default_sound;
      const box = h('input', {
        type: 'checkbox', id: `pref-${channel}-${type.id}`, 'aria-label': `${name}: ${type.label}`,
        checked: local[channel][type.id] ?? defaults,
        onchange: (e) => { local[channel][type.id] = e.target.checked; saveLocal(); },
      });
      cells.push(h('td', {}, box));
    }
    for (const [channel, name] of SERVER) {
      const box = h('input', {
        type: 'checkbox', id: `pref-${channel}-${type.id}`, 'aria-label': `${name}: ${type.label}`,
        checked: serverEnabled(serverPrefs, channel, type.id), disabled: Boolean(server.error),
        onchange: (e) => { serverPrefs[`${channel}.${type.id}`] = e.target.checked; saveServer(); },
      });
      cells.push(h('td', {}, box));
    }
    body.append(h('tr', {}, h('th', { scope: 'row' }, label(type.label)), cells));
  }

  const severitySelect = (key, id) => h('select', {
    id, onchange: (e) => { local[key] = e.target.value; saveLocal(); },
  }, catalog.severities.map((s) => h('option', { value: s, selected: local[key] === s }, s)));

  const quietOn = h('input', { type: 'checkbox', id: 'quiet-on', checked: Boolean(local.quiet_hours) });
  const quietStart = h('input', { type: 'time', id: 'quiet-start', value: local.quiet_hours?.start ?? '22:00' });
  const quietEnd = h('input', { type: 'time', id: 'quiet-end', value: local.quiet_hours?.end ?? '07:00' });
  const saveQuiet = () => {
    local.quiet_hours = quietOn.checked ? { start: quietStart.value, end: quietEnd.value } : null;
    saveLocal();
  };
  for (const input of [quietOn, quietStart, quietEnd]) input.addEventListener('change', saveQuiet);

  const leads = LEADS.map(([mins, text]) => h('label', { class: 'inline' },
    h('input', {
      type: 'checkbox', value: mins, checked: local.reminder_leads_mins.includes(mins),
      onchange: (e) => {
        const set = new Set(local.reminder_leads_mins);
        if (e.target.checked) set.add(mins); else set.delete(mins);
        local.reminder_leads_mins = [...set].sort((a, b) => b - a);
        saveLocal();
      },
    }), ` ${text}`));

  const autostart = h('input', {
    type: 'checkbox', id: 'autostart', checked: await invoke('autostart_enabled'),
    onchange: async (e) => {
      try { e.target.checked = await invoke('set_autostart', { enabled: e.target.checked }); say('Saved.'); } catch (err) { say(`Not saved: ${err}`); }
    },
  });

  root.append(...[
    h('div', { class: 'toolbar' }, h('h1', {}, 'Preferences'), saved),
    server.error && h('p', { class: 'notice' }, `Server channels unavailable: ${server.error}`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'pref-grid', class: 'grid' }, h('thead', {}, head), body)),
    h('section', { class: 'settings' },
      h('h2', {}, 'Severity'),
      h('label', {}, 'Pop up from ', severitySelect('min_severity_popup', 'min-popup')),
      h('label', {}, 'Sound from ', severitySelect('min_severity_sound', 'min-sound')),
      h('h2', {}, 'Quiet hours'),
      h('label', { class: 'inline' }, quietOn, ' Quiet from '), quietStart, ' to ', quietEnd,
      h('label', { class: 'inline block' },
        h('input', {
          type: 'checkbox', id: 'breakthrough', checked: local.breakthrough,
          onchange: (e) => { local.breakthrough = e.target.checked; saveLocal(); },
        }), ' Critical and urgent break through quiet hours and pause'),
      h('h2', {}, 'Deadline reminders'),
      h('div', { class: 'leads' }, leads),
      h('h2', {}, 'Start'),
      h('label', { class: 'inline' }, autostart, ' Start PMAP Companion when I log in')),
  ].filter(Boolean));
}
