// Status: connection, account, unread, pause, last event and the recent
// reconnects, with pause/resume and sign out.
import { invoke } from './tauri.js';
import { h, clear } from './dom.js';
import { dateTime, relative } from './format.js';

function pauseText(pause) {
  if (pause.paused === 'no') return 'No';
  if (pause.paused === 'until_resumed') return 'Until resumed';
  return `Until ${dateTime(pause.until)}`;
}

export async function mount(root, app) {
  const body = h('div');
  root.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Status')), body);

  function render(s) {
    clear(body);
    const c = s.connection;
    const rows = [
      ['Connection', s.account ? c.state.replace('_', ' ') + (c.message ? `: ${c.message}` : '') : 'signed out'],
      ['Signed in as', s.account ? `${s.account.name} <${s.account.email}>` : '—'],
      ['Server', s.account?.server ?? '—'],
      ['Token', s.account ? (s.account.token_saved ? 'in the OS keyring' : 'this session only') : '—'],
      ['Unread', s.unread ?? '—'],
      ['Paused', pauseText(s.pause)],
      ['Last event', s.last_event_at ? `${dateTime(s.last_event_at)} (${relative(s.last_event_at)})` : 'none yet'],
      ['Version', `${s.version}${s.demo ? ' (demo)' : ''}`],
    ];
    body.append(
      h('dl', { id: 'status-list', class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
      h('div', { class: 'actions' },
        s.account && h('button', { class: 'secondary', onclick: () => invoke('pause', { minutes: 60 }) }, 'Pause 1 hour'),
        s.account && s.pause.paused !== 'no' && h('button', { class: 'secondary', onclick: () => invoke('resume') }, 'Resume'),
        s.account
          ? h('button', { id: 'sign-out', class: 'danger', onclick: () => invoke('sign_out') }, 'Sign out')
          : h('a', { class: 'button', href: '#sign_in' }, 'Sign in')),
      h('h2', {}, 'Recent reconnects'),
      s.reconnects.length
        ? h('ol', { id: 'reconnects', class: 'plain' }, [...s.reconnects].reverse().map((r) =>
          h('li', {}, `${dateTime(r.at)}: attempt ${r.attempt}${r.next_at ? `, next try ${relative(r.next_at)}` : ''}`)))
        : h('p', {}, 'None since the app started.'));
  }

  render(app.status);
  return app.onStatus(render);
}
