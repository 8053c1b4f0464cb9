// The hub's dashboard: subscribe, publish, and watch /stats. Plain JavaScript, no dependencies;
// everything it sends goes to this page's origin. Text from the network reaches the DOM only
// through textContent.
'use strict';

const HUB = '/.well-known/mercure';
const MAX_ROWS = 500;
const PREVIEW_CHARS = 300;
const POINTS = 120;

const $ = (id) => document.getElementById(id);

// ---- Subscribe -----------------------------------------------------------------------------

let subscription = null; // { close() } while subscribed

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
  for (const text of [new Date().toLocaleTimeString(), id, type, preview(data)]) {
    const cell = document.createElement('td');
    cell.textContent = text;
    cell.title = text;
    row.append(cell);
  }
  row.dataset.type = type;
  row.dataset.id = id;
  const body = $('events');
  body.prepend(row);
  while (body.children.length > MAX_ROWS) {
    body.lastElementChild.remove();
  }
}

function preview(data) {
  return data.length > PREVIEW_CHARS ? data.slice(0, PREVIEW_CHARS) + '…' : data;
}

function subscribe(event) {
  event.preventDefault();
  const query = matcherQuery();
  if ([...query.keys()].length === 0) {
    setState('error', 'add at least one matcher');
    return;
  }
  // mercure: the hub's subscription events; herald-gap: an unknown Last-Event-ID
  const types = [...new Set(['message', 'mercure', 'herald-gap', ...eventTypes()])];
  const token = $('subscribe-token').value.trim();
  const lastEventId = $('subscribe-last-event-id').value.trim();
  unsubscribe();
  subscription = token === ''
      ? viaEventSource(query, types, lastEventId)
      : viaFetch(query, types, lastEventId, token);
}

function unsubscribe() {
  if (subscription) {
    subscription.close();
    subscription = null;
  }
  setState('closed');
}

// Without a token the browser's own EventSource does the work, reconnections included. It cannot
// send headers, so a Last-Event-ID typed here goes as the hub's last_event_id parameter.
function viaEventSource(query, types, lastEventId) {
  if (lastEventId !== '') {
    query.set('last_event_id', lastEventId);
  }
  setState('connecting');
  const source = new EventSource(HUB + '?' + query);
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
  const headers = {};
  const token = $('publish-token').value.trim();
  if (token !== '') {
    headers.Authorization = 'Bearer ' + token;
  }
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

// ---- Live ----------------------------------------------------------------------------------

const points = []; // { time, subscribers, rate }
let previous = null;

async function poll() {
  try {
    const response = await fetch('/stats', { cache: 'no-store' });
    if (!response.ok) {
      throw new Error('status ' + response.status);
    }
    record(await response.json());
    $('live-status').textContent = 'live';
    $('live-status').className = 'ok';
  } catch (error) {
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
$('add-matcher').addEventListener('click', () => addMatcher().querySelector('.matcher-value').focus());
$('subscribe-form').addEventListener('submit', subscribe);
$('unsubscribe-button').addEventListener('click', unsubscribe);
$('clear-events').addEventListener('click', () => $('events').replaceChildren());
$('publish-form').addEventListener('submit', publish);
window.addEventListener('resize', draw);
poll();
