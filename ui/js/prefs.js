// Preferences: one grid of event type × channel, built in Rust (the
// `preference_grid` command): every catalog type, then the types the
// server's matrix names or the stream has shown, each with its label and
// its cells. Pop-up and sound are this desktop's own (saved locally,
// applied at once); the other columns are the server's matrix (saved
// through the preferences API, one cell at a time).
// Below it: minimum severities, quiet hours, reminder leads, the morning
// agenda, the calendar file, autostart.
import { invoke } from './tauri.js';
import { h } from './dom.js';
import { catalog } from './catalog.js';

const SCOPES = [['mine', 'Mine'], ['my_companies', 'My companies'], ['off', 'Off']];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LEADS = [[1440, '1 day before'], [240, '4 hours before'], [60, '1 hour before'], [15, '15 minutes before'], [0, 'At the deadline']];

export async function mount(root, app) {
  const [local, grid] = await Promise.all([invoke('local_prefs'), invoke('preference_grid')]);
  const saved = h('p', { id: 'prefs-saved', class: 'saved', role: 'status', 'aria-live': 'polite' });
  const say = (text) => { saved.textContent = text; };
  const saveLocal = async () => {
    try { await invoke('save_local_prefs', { prefs: local }); say('Saved.'); } catch (e) { say(`Not saved: ${e}`); }
  };
  const saveServer = async (box, channel, eventType) => {
    try {
      await invoke('set_server_preference', { channel, eventType, on: box.checked });
      say('Saved on the server.');
    } catch (e) {
      box.checked = !box.checked;
      say(`Not saved on the server: ${e}`);
    }
  };

  const cell = (column, row) => {
    if (column.id === 'popup') {
      // Three states: follow the server's in-app cell (the default), on, off.
      const select = h('select', {
        id: `pref-popup-${row.id}`, 'aria-label': `${column.label}: ${row.label}`,
        title: row.popup_cell === 'server' ? (row.cells.popup ? 'On: follows the server (in-app on)' : 'Off: follows the server') : '',
        onchange: (e) => {
          if (e.target.value === 'server') delete local.popup[row.id];
          else local.popup[row.id] = e.target.value === 'on';
          return saveLocal();
        },
      },
      h('option', { value: 'server', selected: row.popup_cell === 'server' }, `Server (${row.cells.popup ? 'on' : 'off'})`),
      h('option', { value: 'on', selected: row.popup_cell === 'on' }, 'On'),
      h('option', { value: 'off', selected: row.popup_cell === 'off' }, 'Off'));
      return h('td', {}, select);
    }
    const box = h('input', {
      type: 'checkbox', id: `pref-${column.id}-${row.id}`, 'aria-label': `${column.label}: ${row.label}`,
      checked: row.cells[column.id], disabled: !column.local && Boolean(grid.server_error),
      onchange: (e) => {
        if (!column.local) return saveServer(e.target, column.id, row.id);
        local[column.id][row.id] = e.target.checked;
        return saveLocal();
      },
    });
    return h('td', {}, box);
  };

  const head = h('tr', {}, h('th', { scope: 'col' }, 'Event'),
    grid.columns.map((column) => h('th', { scope: 'col' }, column.label)));
  const body = h('tbody');
  let group = null;
  for (const row of grid.rows) {
    if (row.group !== group) {
      group = row.group;
      body.append(h('tr', { class: 'group' },
        h('th', { scope: 'rowgroup', colspan: grid.columns.length + 1 }, group)));
    }
    body.append(h('tr', { 'data-type': row.id },
      h('th', { scope: 'row' }, row.label), grid.columns.map((column) => cell(column, row))));
  }

  const severitySelect = (key, id) => h('select', {
    id, onchange: (e) => { local[key] = e.target.value; saveLocal(); },
  }, catalog().severities.map((s) => h('option', { value: s.id, selected: local[key] === s.id }, s.label)));

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

  // The morning agenda: on/off, its local time, its working days.
  const agenda = local.agenda;
  const agendaOn = h('input', {
    type: 'checkbox', id: 'agenda-on', checked: agenda.enabled,
    onchange: (e) => { agenda.enabled = e.target.checked; saveLocal(); },
  });
  const agendaAt = h('input', {
    type: 'time', id: 'agenda-at', value: agenda.at,
    onchange: (e) => { if (e.target.value) { agenda.at = e.target.value; saveLocal(); } },
  });
  const agendaDays = DAYS.map((day) => h('label', { class: 'inline' },
    h('input', {
      type: 'checkbox', value: day, checked: agenda.days.includes(day),
      onchange: (e) => {
        const set = new Set(agenda.days);
        if (e.target.checked) set.add(day); else set.delete(day);
        agenda.days = DAYS.filter((d) => set.has(d));
        saveLocal();
      },
    }), ` ${day}`));

  // The deadlines as an .ics file a calendar app can subscribe to.
  const icsState = await invoke('calendar_file');
  const icsPath = h('code', { id: 'calendar-file-path' }, icsState.path ?? 'no data directory');
  const icsOn = h('input', {
    type: 'checkbox', id: 'calendar-file', checked: icsState.enabled, disabled: !icsState.path,
    onchange: async (e) => {
      try {
        const now = await invoke('set_calendar_file', { enabled: e.target.checked });
        e.target.checked = now.enabled;
        say(now.enabled ? 'Saved: the file is written.' : 'Saved: the file is removed.');
      } catch (err) { e.target.checked = !e.target.checked; say(`Not saved: ${err}`); }
    },
  });

  // Whose events pop up, per group; companies to silence.
  const scopeSelect = (group, label) => h('label', {}, `${label}: `, h('select', {
    id: `scope-${group}`,
    onchange: (e) => { local.scope[group] = e.target.value; saveLocal(); },
  }, SCOPES.map(([value, text]) => h('option', { value, selected: local.scope[group] === value }, text))));
  const companies = app?.status?.account?.companies ?? [];
  const muted = companies.map((c) => h('label', { class: 'inline' },
    h('input', {
      type: 'checkbox', id: `mute-${c.id}`, checked: local.muted_companies.includes(c.id),
      onchange: (e) => {
        const set = new Set(local.muted_companies);
        if (e.target.checked) set.add(c.id); else set.delete(c.id);
        local.muted_companies = [...set].sort();
        saveLocal();
      },
    }), ` ${c.name}`));

  // A freedesktop sound name per severity; empty = silent.
  const soundName = (severity, label) => h('label', {}, `${label}: `, h('input', {
    type: 'text', id: `sound-name-${severity}`, size: 18, spellcheck: 'false',
    placeholder: 'message-new-instant', value: local.sound_names[severity] ?? '',
    title: 'A freedesktop sound theme name; type "none" for silence',
    onchange: (e) => {
      const value = e.target.value.trim();
      if (!value) delete local.sound_names[severity];
      else local.sound_names[severity] = value === 'none' ? '' : value;
      saveLocal();
    },
  }));
  const reminderSound = h('input', {
    type: 'checkbox', id: 'reminder-sound', checked: local.reminder_sound,
    onchange: (e) => { local.reminder_sound = e.target.checked; saveLocal(); },
  });

  const autostart = h('input', {
    type: 'checkbox', id: 'autostart', checked: await invoke('autostart_enabled'),
    onchange: async (e) => {
      try { e.target.checked = await invoke('set_autostart', { enabled: e.target.checked }); say('Saved.'); } catch (err) { say(`Not saved: ${err}`); }
    },
  });

  root.append(...[
    h('div', { class: 'toolbar' }, h('h1', {}, 'Preferences'), saved),
    grid.server_error && h('p', { class: 'notice' }, `Server channels unavailable: ${grid.server_error}`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'pref-grid', class: 'grid' }, h('thead', {}, head), body)),
    h('section', { class: 'settings' },
      h('h2', {}, 'Whose events'),
      scopeSelect('findings', 'Findings, SLA and retests'),
      scopeSelect('approvals', 'Approvals'),
      scopeSelect('scans', 'Scans and reports'),
      companies.length > 0 && h('h2', {}, 'Muted companies'),
      companies.length > 0 && h('div', { class: 'leads' }, muted),
      h('h2', {}, 'Severity'),
      h('label', {}, 'Pop up from ', severitySelect('min_severity_popup', 'min-popup')),
      h('label', {}, 'Sound from ', severitySelect('min_severity_sound', 'min-sound')),
      h('h2', {}, 'Sounds'),
      h('div', { class: 'leads' }, catalog().severities.map((s) => soundName(s.id, s.label))),
      h('label', { class: 'inline block' }, reminderSound, ' Reminders play their severity\'s sound too'),
      h('h2', {}, 'Quiet hours'),
      h('label', { class: 'inline' }, quietOn, ' Quiet from '), quietStart, ' to ', quietEnd,
      h('label', { class: 'inline block' },
        h('input', {
          type: 'checkbox', id: 'breakthrough', checked: local.breakthrough,
          onchange: (e) => { local.breakthrough = e.target.checked; saveLocal(); },
        }), ' Critical and urgent break through quiet hours and pause'),
      h('h2', {}, 'Deadline reminders'),
      h('div', { class: 'leads' }, leads),
      h('h2', {}, 'Morning agenda'),
      h('label', { class: 'inline' }, agendaOn, ' One pop-up with the day\'s deadlines at '), agendaAt,
      h('div', { class: 'leads' }, agendaDays),
      h('h2', {}, 'Calendar file'),
      h('label', { class: 'inline block' }, icsOn, ' Keep my deadlines in an iCalendar file'),
      h('p', { class: 'hint' }, 'Subscribe to it as a local calendar in GNOME Calendar, Thunderbird or Evolution: ', icsPath),
      h('h2', {}, 'Start'),
      h('label', { class: 'inline' }, autostart, ' Start PMAP Companion when I log in')),
  ].filter(Boolean));
}
