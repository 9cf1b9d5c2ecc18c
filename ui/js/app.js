// The window: a hash router over four views plus sign-in, and a header
// that follows the connection state pushed from Rust.
import { invoke, listen } from './tauri.js';
import { clear, plain } from './dom.js';
import { load as loadCatalog } from './catalog.js';
import * as inbox from './inbox.js';
import * as calendar from './calendar.js';
import * as preferences from './prefs.js';
import * as status from './status.js';
import * as signIn from './signin.js';

const VIEWS = { inbox, calendar, preferences, status, sign_in: signIn };
const TITLES = {
  inbox: 'Inbox', calendar: 'Calendar', preferences: 'Preferences',
  status: 'Status', sign_in: 'Sign in',
};

const app = {
  status: null,
  statusListeners: new Set(),
  onStatus(fn) { this.statusListeners.add(fn); return () => this.statusListeners.delete(fn); },
};

let unmount = null;

function currentView() {
  const name = location.hash.slice(1);
  return VIEWS[name] ? name : 'inbox';
}

async function show(name) {
  if (unmount) unmount();
  unmount = null;
  const root = clear(document.getElementById('view'));
  document.title = `${TITLES[name]} · PMAP Companion`;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  root.dataset.view = name;
  unmount = (await VIEWS[name].mount(root, app)) || null;
}

function connectionText(s) {
  if (!s.account) return 'Signed out';
  const c = s.connection;
  const base = {
    live: 'Live', connecting: 'Connecting…', signed_out: 'Signed out',
    reconnecting: `Reconnecting (attempt ${c.attempt})…`, error: `Stopped: ${c.message}`,
    portal: `Not reaching PMAP: ${c.message}`,
    offline: 'Offline (no network)',
  }[c.state] ?? c.state;
  const paused = s.pause.paused !== 'no' ? ' · paused' : '';
  return `${base}${paused} · ${s.account.name} on ${s.account.server}`;
}

function renderStatus(s) {
  app.status = s;
  const line = document.getElementById('connection');
  line.textContent = connectionText(s);
  line.dataset.state = s.account ? s.connection.state : 'signed_out';
  const unread = document.getElementById('nav-unread');
  unread.hidden = !s.unread;
  unread.textContent = s.unread > 99 ? '99+' : String(s.unread ?? '');
  const notice = document.getElementById('notice');
  notice.hidden = !s.notice;
  notice.textContent = plain(s.notice ?? '');
  for (const fn of app.statusListeners) fn(s);
}

async function start() {
  await loadCatalog();
  renderStatus(await invoke('status'));
  await listen('status', renderStatus);
  await listen('navigate', (view) => {
    if (location.hash === `#${view}`) show(currentView());
    else location.hash = view;
  });
  window.addEventListener('hashchange', () => show(currentView()));
  await show(currentView());
}

start().catch((error) => {
  document.getElementById('view').textContent = plain(`Could not start: ${error}`);
});
