// The hub's dashboard: live figures, subscribe and publish, the events received (with their
// topics), the active subscriptions, the node's settings and a history browser. Plain JavaScript,
// no dependencies; everything it sends goes to this page's origin. Text from the network reaches
// the DOM only through textContent, never as markup.
'use strict';

const HUB = '/.well-known/mercure';
const TOKEN_KEY = 'herald-dashboard-token'; // sessionStorage: this tab only, gone when it closes
const MAX_ROWS = 500;
const PREVIEW_CHARS = 300;
const POINTS = 120;
const SUBSCRIPTIONS_EVERY_MS = 2000; // 10 s once the list is long: it is the whole hub's
const MAX_SUBSCRIPTION_ROWS = 200;

const $ = (id) => document.getElementById(id);

// ---- Access --------------------------------------------------------------------------------
// A hub whose dashboard is open (development) answers without a token. Otherwise the page shows
// nothing but a token field until the hub accepts the token for /dashboard/settings; the token is
// kept in sessionStorage and sent only as an Authorization header.

let pageToken = sessionStorage.getItem(TOKEN_KEY) || '';
let settings = null;
let started = false;

function authorization(token) {
  return token ? { Authorization: 'Bearer ' + token } : {};
}

class HubError extends Error {
  constructor(status, text) {
    super(status + (text ? ' ' + text.slice(0, 300) : ''));
    this.status = status;
  }
}

async function getJson(path, token = pageToken) {
  const response = await fetch(path, { headers: authorization(token), cache: 'no-store' });
  if (!response.ok) {
    throw new HubError(response.status, await response.text());
  }
  return response.json();
}

function refused(error) {
  return error instanceof HubError && (error.status === 401 || error.status === 403);
}

async function enter() {
  try {
    settings = await getJson('/dashboard/settings');
  } catch (error) {
    showSignin(pageToken === '' ? '' : 'The hub refused the token: ' + error.message);
    return;
  }
  showDashboard();
}

function showSignin(message) {
  $('dashboard').hidden = true;
  $('signin').hidden = false;
  document.title = 'Sign in';
  $('signin-result').textContent = message;
  $('signin-result').className = message ? 'error' : '';
}

async function signIn(event) {
  event.preventDefault();
  const token = $('signin-token').value.trim();
  $('signin-result').textContent = 'checking the token…';
  $('signin-result').className = '';
  try {
    settings = await getJson('/dashboard/settings', token);
  } catch (error) {
    showSignin('The hub refused the token: ' + error.message);
    return;
  }
  pageToken = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('signin-token').value = '';
  showDashboard();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  pageToken = '';
  location.reload();
}

function showDashboard() {
  $('signin').hidden = true;
  $('dashboard').hidden = false;
  document.title = 'Herald hub';
  $('node-name').textContent = settings.node;
  $('node-version').textContent = settings.version;
  $('access-mode').textContent = settings.auth.openDashboard
    ? 'open dashboard (development)'
    : 'signed in with a token';
  $('signout-button').hidden = pageToken === '';
  showSettings(settings);
  if (!started) {
    started = true;
    poll();
    pollSubscriptions();
  }
}

/** The hub stopped accepting the page's token (expired, revoked): back to the token field. */
function lostAccess(error) {
  unsubscribe();
  sessionStorage.removeItem(TOKEN_KEY);
  pageToken = '';
  showSignin('The hub no longer accepts the token: ' + error.message);
}

// ---- Data cells: long data wraps and expands, JSON pretty-printed on demand -----------------

function prettyJson(data) {
  const trimmed = data.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) {
    return null;
  }
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch (error) {
    return null;
  }
}

function dataCell(data) {
  const cell = document.createElement('td');
  cell.className = 'data';
  const value = document.createElement('pre');
  value.className = 'value';
  const tools = document.createElement('div');
  tools.className = 'tools';
  const pretty = prettyJson(data);
  const state = { expanded: false, pretty: false };
  const more = button('More', 'more', () => { state.expanded = !state.expanded; render(); });
  const json = button('JSON', 'json', () => { state.pretty = !state.pretty; render(); });
  json.hidden = pretty === null;
  tools.append(more, json);
  function render() {
    const text = state.pretty ? pretty : data;
    const long = text.length > PREVIEW_CHARS;
    value.textContent = long && !state.expanded ? text.slice(0, PREVIEW_CHARS) + '…' : text;
    value.classList.toggle('pretty', state.pretty);
    more.hidden = !long;
    more.textContent = state.expanded ? 'Less' : 'More';
    more.setAttribute('aria-expanded', String(state.expanded));
    json.textContent = state.pretty ? 'Raw' : 'JSON';
    json.setAttribute('aria-pressed', String(state.pretty));
  }
  render();
  cell.append(value, tools);
  return cell;
}

function button(text, className, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'small ' + className;
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

function textCell(text, title) {
  const cell = document.createElement('td');
  cell.textContent = text;
  cell.title = title === undefined ? text : title;
  return cell;
}

function showTopics(cell, topics) {
  cell.textContent = topics.join('\n');
  cell.title = topics.length > 1 ? 'canonical topic, then alternates' : topics[0];
  cell.classList.remove('pending');
}

function timeText(date) {
  return date.toLocaleTimeString([], { hour12: false });
}

// ---- Subscribe -----------------------------------------------------------------------------

let subscription = null; // { close() } while subscribed
let resolver = null; // the topics of received events

function addMatcher(type = 'exact', value = '') {
  const row = $('matcher-row').content.firstElementChild.cloneNode(true);
  row.querySelector('.matcher-type').value = type;
  row.querySelector('.matcher-value').value = value;
  row.querySelector('.remove-matcher').addEventListener('click', () => {
    if ($('matchers').children.length > 1) {
      row.remove();
    } else {
      row.querySelector('.matcher-value').value = '';
    }
  });
  $('matchers').append(row);
  return row;
}

function matcherQuery() {
  const query = new URLSearchParams();
  for (const row of $('matchers').children) {
    const value = row.querySelector('.matcher-value').value.trim();
    if (value !== '') {
      const type = row.querySelector('.matcher-type').value;
      query.append(type === 'urlpattern' ? 'match_urlpattern' : 'match', value);
    }
  }
  return query;
}

function eventTypes() {
  return $('subscribe-types').value.split(/[\s,]+/).filter((type) => type !== '' && type !== 'message');
}

function setState(state, detail) {
  const element = $('subscribe-state');
  element.textContent = detail ? state + ': ' + detail : state;
  element.dataset.state = state;
  const subscribed = state !== 'closed' && state !== 'error';
  $('subscribe-button').disabled = subscribed;
  $('unsubscribe-button').disabled = !subscribed;
}

function showEvent(type, id, data) {
  const row = document.createElement('tr');
  const topic = textCell('…', 'looking the topic up in the history');
  topic.className = 'topic pending';
  row.append(textCell(timeText(new Date())), textCell(id), topic, textCell(type), dataCell(data));
  row.dataset.type = type;
  row.dataset.id = id;
  const body = $('events');
  body.prepend(row);
  while (body.children.length > MAX_ROWS) {
    body.lastElementChild.remove();
  }
  if (resolver) {
    resolver.add(id, topic);
  }
}

async function subscribe(event) {
  event.preventDefault();
  const query = matcherQuery();
  if ([...query.keys()].length === 0) {
    setState('error', 'add at least one matcher');
    return;
  }
  // mercure: the hub's subscription events; herald-gap: an unknown Last-Event-ID
  const types = [...new Set(['message', 'mercure', 'herald-gap', ...eventTypes()])];
  const token = $('subscribe-token').value.trim() || pageToken;
  const lastEventId = $('subscribe-last-event-id').value.trim();
  unsubscribe();
  setState('connecting');
  // The events received are those after this ID: their topics are read from the history after it.
  let after = lastEventId;
  if (after === '') {
    try {
      after = (await getJson('/stats')).lastEventId;
    } catch (error) {
      after = null; // topics unknown
    }
  }
  resolver = new TopicResolver(query, after, token);
  subscription = token === ''
      ? viaEventSource(query, types, lastEventId)
      : viaFetch(query, types, lastEventId, token);
}

function unsubscribe() {
  if (subscription) {
    subscription.close();
    subscription = null;
  }
  if (resolver) {
    resolver.stop();
    resolver = null;
  }
  setState('closed');
}

// Without a token the browser's own EventSource does the work, reconnections included. It cannot
// send headers, so a Last-Event-ID typed here goes as the hub's last_event_id parameter.
function viaEventSource(query, types, lastEventId) {
  const url = new URLSearchParams(query);
  if (lastEventId !== '') {
    url.set('last_event_id', lastEventId);
  }
  setState('connecting');
  const source = new EventSource(HUB + '?' + url);
  source.onopen = () => setState('open');
  source.onerror = () =>
    setState(source.readyState === EventSource.CLOSED ? 'error' : 'reconnecting',
        source.readyState === EventSource.CLOSED ? 'the hub refused the subscription' : '');
  for (const type of new Set(types)) {
    source.addEventListener(type, (e) => showEvent(type, e.lastEventId, e.data));
  }
  return { close: () => source.close() };
}

// With a token: fetch() with an Authorization header, the body read as a stream and parsed here,
// and EventSource's reconnection rules (retry, Last-Event-ID, 204 stops) done by hand.
function viaFetch(query, types, lastEventId, token) {
  const wanted = new Set(types);
  const state = { closed: false, controller: null, timer: null, retry: 3000, lastEventId, attempts: 0 };
  const connect = async () => {
    state.controller = new AbortController();
    setState(state.attempts++ === 0 ? 'connecting' : 'reconnecting');
    const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + token };
    if (state.lastEventId !== '') {
      headers['Last-Event-ID'] = state.lastEventId;
    }
    try {
      const response = await fetch(HUB + '?' + query, { headers, signal: state.controller.signal, cache: 'no-store' });
      if (response.status === 204) {
        setState('closed', 'the hub answered 204');
        return;
      }
      const contentType = response.headers.get('Content-Type') || '';
      if (response.status !== 200 || !contentType.startsWith('text/event-stream')) {
        setState('error', response.status + ' ' + (await response.text()).slice(0, 200));
        return;
      }
      setState('open');
      const parser = new SseParser((event) => {
        if (wanted.has(event.type)) {
          showEvent(event.type, event.id, event.data);
        }
      }, (retry) => { state.retry = retry; });
      parser.lastEventId = state.lastEventId;
      parser.onLastEventId = (id) => { state.lastEventId = id; };
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        parser.push(value);
      }
    } catch (error) {
      if (state.closed) {
        return;
      }
    }
    if (!state.closed) {
      setState('reconnecting');
      state.timer = setTimeout(connect, state.retry);
    }
  };
  connect();
  return {
    close() {
      state.closed = true;
      clearTimeout(state.timer);
      if (state.controller) {
        state.controller.abort();
      }
    },
  };
}

// The SSE stream carries no topic. The events a subscription receives are, in order, the updates
// after one ID that its matchers select and its token may read: exactly what the hub's history
// answers to the same matchers and token after that ID. So the topics are read from there, a page
// at a time, and matched to the rows by ID.
class TopicResolver {
  constructor(query, after, token) {
    this.query = query;
    this.after = after; // null: unknown, so are the topics
    this.token = token;
    this.pending = new Map(); // id -> cells waiting for their topics
    this.timer = null;
    this.busy = false;
    this.stopped = false;
  }

  add(id, cell) {
    if (this.after === null || !id) {
      this.unknown([cell], 'the topic is not known');
      return;
    }
    const cells = this.pending.get(id) || [];
    cells.push(cell);
    this.pending.set(id, cells);
    this.schedule(100);
  }

  schedule(delay) {
    if (this.timer === null && !this.busy && !this.stopped) {
      this.timer = setTimeout(() => { this.timer = null; this.run(); }, delay);
    }
  }

  async run() {
    if (this.pending.size === 0 || this.stopped) {
      return;
    }
    this.busy = true;
    const asked = new Set(this.pending.keys());
    let page;
    try {
      const query = new URLSearchParams(this.query);
      query.set('after', this.after);
      query.set('limit', '100');
      page = await getJson('/dashboard/history?' + query, this.token);
    } catch (error) {
      this.busy = false;
      for (const cells of this.pending.values()) {
        this.unknown(cells, 'the history did not say: ' + error.message);
      }
      this.pending.clear();
      if (error instanceof HubError && error.status === 404) {
        this.after = null; // the ID is not in the history (the subscription started live)
      }
      return;
    }
    this.busy = false;
    for (const update of page.updates) {
      const cells = this.pending.get(update.id);
      if (cells) {
        cells.forEach((cell) => showTopics(cell, update.topics));
        this.pending.delete(update.id);
      }
    }
    if (page.next) {
      this.after = page.next;
    }
    if (!page.more) {
      for (const id of asked) { // the history went past them without finding them
        if (this.pending.has(id)) {
          this.unknown(this.pending.get(id), 'not in the history');
          this.pending.delete(id);
        }
      }
    }
    if (this.pending.size > 0 || page.more) {
      this.schedule(page.more ? 0 : 100);
    }
  }

  unknown(cells, why) {
    for (const cell of cells) {
      cell.textContent = '?';
      cell.title = why;
      cell.classList.remove('pending');
    }
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

// The event-stream format (WHATWG HTML, "Parsing an event stream"), fed text in any pieces: lines
// end in CR, LF or CRLF (a CR at the end of one piece may meet its LF in the next).
class SseParser {
  constructor(onEvent, onRetry) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = '';
    this.first = true;
    this.skipLf = false;
    this.data = '';
    this.type = '';
    this.lastEventId = '';
    this.onLastEventId = () => {};
  }

  push(text) {
    if (text === '') {
      return;
    }
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    if (this.skipLf && text.startsWith('\n')) {
      text = text.slice(1);
    }
    this.skipLf = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\r' && c !== '\n') {
        continue;
      }
      this.line(this.buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 === this.buffer.length) {
          this.skipLf = true;
        } else if (this.buffer[i + 1] === '\n') {
          i++;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return; // a comment
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this.data += value + '\n';
        break;
      case 'event':
        this.type = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.onRetry(Number(value));
        }
        break;
      default:
        break; // ignored, as the standard says
    }
  }

  dispatch() {
    this.onLastEventId(this.lastEventId);
    if (this.data === '') {
      this.type = '';
      return;
    }
    const event = { type: this.type || 'message', data: this.data.slice(0, -1), id: this.lastEventId };
    this.data = '';
    this.type = '';
    this.onEvent(event);
  }
}

// ---- Publish -------------------------------------------------------------------------------

async function publish(event) {
  event.preventDefault();
  const result = $('publish-result');
  const form = new URLSearchParams();
  for (const topic of $('publish-topics').value.split(/\r\n|\r|\n/)) {
    if (topic.trim() !== '') {
      form.append('topic', topic.trim());
    }
  }
  form.append('data', $('publish-data').value);
  for (const name of ['type', 'id', 'retry']) {
    const value = $('publish-' + name).value.trim();
    if (value !== '') {
      form.append(name, value);
    }
  }
  if ($('publish-private').checked) {
    form.append('private', 'on');
  }
  const headers = authorization($('publish-token').value.trim() || pageToken);
  result.className = '';
  result.textContent = 'publishing…';
  try {
    const response = await fetch(HUB, { method: 'POST', headers, body: form });
    const body = await response.text();
    if (response.ok) {
      result.className = 'ok';
      result.textContent = 'Published: ' + body;
      result.dataset.id = body;
    } else {
      result.className = 'error';
      result.textContent = 'Error ' + response.status + ': ' + body.slice(0, 500);
      delete result.dataset.id;
    }
  } catch (error) {
    result.className = 'error';
    result.textContent = 'Error: ' + error.message;
  }
}

// ---- Active subscriptions (the subscription API) ---------------------------------------------

let shownSubscriptions = null;

async function pollSubscriptions() {
  const status = $('subscriptions-status');
  let every = SUBSCRIPTIONS_EVERY_MS;
  try {
    const collection = await getJson(HUB + '/subscriptions');
    const count = collection.subscriptions.length;
    showSubscriptions(collection.subscriptions.slice(0, MAX_SUBSCRIPTION_ROWS));
    status.textContent = count + ' active'
      + (count > MAX_SUBSCRIPTION_ROWS ? ', the first ' + MAX_SUBSCRIPTION_ROWS + ' shown' : '');
    status.className = 'hint';
    if (count > MAX_SUBSCRIPTION_ROWS) {
      every = 5 * SUBSCRIPTIONS_EVERY_MS;
    }
  } catch (error) {
    if (refused(error) && !settings.auth.openDashboard) {
      lostAccess(error);
      return;
    }
    showSubscriptions([]);
    status.textContent = error.status === 404
      ? 'The subscription API is off (./herald hub --subscriptions, Hub.Builder.subscriptionsApi).'
      : 'unavailable: ' + error.message;
    status.className = error.status === 404 ? 'hint' : 'error';
  }
  setTimeout(pollSubscriptions, every);
}

function showSubscriptions(list) {
  const sorted = [...list].sort((a, b) => String(a.since).localeCompare(String(b.since)));
  const key = JSON.stringify(sorted);
  if (key === shownSubscriptions) {
    return;
  }
  shownSubscriptions = key;
  const rows = sorted.map((s) => {
    const row = document.createElement('tr');
    const topic = s.match_type === 'exact' ? s.match : s.match_type + ': ' + s.match;
    const since = s.since ? new Date(s.since) : null;
    const topicCell = document.createElement('td');
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = topic;
    const subscriber = document.createElement('div');
    subscriber.className = 'subscriber';
    subscriber.textContent = s.subscriber;
    subscriber.title = 'the subscriber';
    topicCell.append(value, subscriber);
    row.append(
        topicCell,
        textCell(since ? timeText(since) : '–', s.since || 'not told'),
        textCell(s.node || settings.node));
    row.dataset.subscriber = s.subscriber;
    row.dataset.match = s.match;
    return row;
  });
  $('subscriptions-list').replaceChildren(...rows);
}

// ---- Settings ------------------------------------------------------------------------------

function showSettings(doc) {
  const groups = [];
  const node = {};
  for (const [name, value] of Object.entries(doc)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      groups.push([name, value]);
    } else {
      node[name] = value;
    }
  }
  groups.unshift(['node', node]);
  const elements = groups.map(([name, values]) => {
    const group = document.createElement('div');
    group.className = 'group';
    const title = document.createElement('h3');
    title.textContent = name;
    const list = document.createElement('dl');
    for (const [key, value] of Object.entries(values)) {
      const term = document.createElement('dt');
      term.textContent = key;
      const description = document.createElement('dd');
      description.textContent = Array.isArray(value)
        ? (value.length ? value.join(', ') : '–')
        : value === null ? '–' : String(value);
      list.append(term, description);
    }
    group.append(title, list);
    return group;
  });
  $('settings-groups').replaceChildren(...elements);
  $('settings-json').textContent = JSON.stringify(doc, null, 2);
}

// ---- History -------------------------------------------------------------------------------

async function showHistory(event) {
  event.preventDefault();
  const type = $('history-type').value;
  const topic = $('history-topic').value.trim();
  const after = $('history-after').value.trim();
  const query = new URLSearchParams();
  query.append(type === 'urlpattern' ? 'match_urlpattern' : 'match', topic);
  query.set('limit', $('history-limit').value || '20');
  if (after !== '') {
    query.set('after', after);
  }
  const status = $('history-status');
  status.textContent = 'reading the history…';
  status.className = 'hint';
  let page;
  try {
    page = await getJson('/dashboard/history?' + query);
  } catch (error) {
    status.textContent = 'Error ' + error.message;
    status.className = 'error';
    $('history-list').replaceChildren();
    return;
  }
  const rows = page.updates.slice().reverse().map((update) => {
    const row = document.createElement('tr');
    const topics = textCell('');
    topics.className = 'topic';
    showTopics(topics, update.topics);
    const actions = document.createElement('td');
    actions.append(button('Resume', 'resume', () => resumeFrom(update, type, topic)));
    actions.lastChild.title = 'subscribe above from this update: the events after it, then live';
    row.append(
        textCell(timeText(new Date(update.time)), update.time),
        textCell(update.id),
        topics,
        textCell(update.type + (update.private ? ' (private)' : '')),
        dataCell(update.data),
        actions);
    row.dataset.id = update.id;
    return row;
  });
  $('history-list').replaceChildren(...rows);
  const none = page.updates.length === 0 && after === ''
    ? ' This node holds none in memory: After ID earliest reads the whole history.'
    : '';
  status.textContent = page.updates.length + (page.updates.length === 1 ? ' update' : ' updates')
    + (after === '' ? ', the most recent first' : ' after ' + after + ', the latest first')
    + (!page.more ? '' : after === '' ? '; there are older ones: raise the limit'
      : '; there are more: raise the limit, or show those after ' + page.next)
    + '.' + none;
}

/** Subscribes (the form above) from {@code update}: the events list shows exactly the later ones. */
function resumeFrom(update, type, topic) {
  $('matchers').replaceChildren();
  addMatcher(type, topic);
  if (update.type !== 'message' && !eventTypes().includes(update.type)) {
    $('subscribe-types').value = [...eventTypes(), update.type].join(', ');
  }
  $('subscribe-last-event-id').value = update.id;
  $('events').replaceChildren();
  $('subscribe-form').requestSubmit();
  $('received').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---- Live ----------------------------------------------------------------------------------

const points = []; // { time, subscribers, rate }
let previous = null;

async function poll() {
  try {
    record(await getJson('/stats'));
    $('live-status').textContent = 'live';
    $('live-status').className = 'ok';
  } catch (error) {
    if (refused(error)) {
      lostAccess(error);
      return;
    }
    $('live-status').textContent = 'unavailable';
    $('live-status').className = 'error';
  }
  draw();
  setTimeout(poll, 1000);
}

function record(stats) {
  let rate = 0;
  if (previous && stats.time > previous.time) {
    rate = Math.max(0, (stats.published - previous.published) * 1000 / (stats.time - previous.time));
  }
  previous = stats;
  points.push({ time: stats.time, subscribers: stats.subscribers, rate });
  if (points.length > POINTS) {
    points.shift();
  }
  $('live-subscribers').textContent = String(stats.subscribers);
  // every node's subscribers (this node's own when it has no cluster)
  $('live-cluster-subscribers').textContent = String(stats.clusterSubscribers);
  $('live-rate').textContent = rate.toFixed(1);
  $('live-published').textContent = String(stats.published);
}

function draw() {
  const canvas = $('live-chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const style = getComputedStyle(document.documentElement);
  const pad = { left: 36, right: 36, top: 10, bottom: 20 };
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const maxSubscribers = niceMax(Math.max(1, ...points.map((p) => p.subscribers)));
  const maxRate = niceMax(Math.max(1, ...points.map((p) => p.rate)));

  g.strokeStyle = style.getPropertyValue('--line').trim() || '#ddd';
  g.fillStyle = style.getPropertyValue('--muted').trim() || '#666';
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + plotHeight * i / 4;
    g.beginPath();
    g.moveTo(pad.left, y + 0.5);
    g.lineTo(pad.left + plotWidth, y + 0.5);
    g.stroke();
    g.textAlign = 'right';
    g.fillText(formatTick(maxSubscribers * (4 - i) / 4), pad.left - 4, y + 4);
    g.textAlign = 'left';
    g.fillText(formatTick(maxRate * (4 - i) / 4), pad.left + plotWidth + 4, y + 4);
  }
  g.textAlign = 'center';
  g.fillText('−120 s', pad.left + 14, height - 4);
  g.fillText('now', pad.left + plotWidth - 10, height - 4);

  const x = (i) => pad.left + plotWidth * (POINTS - points.length + i) / (POINTS - 1);
  line(g, points.map((p, i) => [x(i), pad.top + plotHeight * (1 - p.subscribers / maxSubscribers)]),
      style.getPropertyValue('--accent').trim() || '#2456c7');
  line(g, points.map((p, i) => [x(i), pad.top + plotHeight * (1 - p.rate / maxRate)]),
      style.getPropertyValue('--rate').trim() || '#c2410c');
}

function line(g, xy, color) {
  if (xy.length === 0) {
    return;
  }
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.beginPath();
  xy.forEach(([px, py], i) => (i === 0 ? g.moveTo(px, py) : g.lineTo(px, py)));
  g.stroke();
}

function niceMax(value) {
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) {
    if (value <= m * step) {
      return m * step;
    }
  }
  return 10 * step;
}

function formatTick(value) {
  return String(Number(value.toFixed(2)));
}

// ---- Start ---------------------------------------------------------------------------------

addMatcher();
$('signin-form').addEventListener('submit', signIn);
$('signout-button').addEventListener('click', signOut);
$('add-matcher').addEventListener('click', () => addMatcher().querySelector('.matcher-value').focus());
$('subscribe-form').addEventListener('submit', subscribe);
$('unsubscribe-button').addEventListener('click', unsubscribe);
$('clear-events').addEventListener('click', () => $('events').replaceChildren());
$('publish-form').addEventListener('submit', publish);
$('history-form').addEventListener('submit', showHistory);
window.addEventListener('resize', draw);
enter();
