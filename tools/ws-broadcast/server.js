#!/usr/bin/env node
// Catwalk ws-broadcast baseline.
//
// A deliberately plain broadcast websocket server built on the npm `ws` package. It speaks
// a subset of the Catwalk JSON wire protocol (crates/catwalk_protocol) so the load generator
// can drive it exactly like the Rust show server, and serves as the comparison baseline in
// load benchmarks. Everything lives in memory in one process: acks are sent as soon as a
// write is counted, nothing is persisted, and nothing survives a restart.
//
// Supported client messages: hello, join, ping, rate, intent, control (action "advance").
// Anything else gets {"type":"error","code":"unknown_type"}.
//
// Usage: node server.js [--port 9100] [--looks 12]      (PORT in the environment also works)

'use strict';

const { performance } = require('node:perf_hooks');
const { randomBytes } = require('node:crypto');
const { WebSocketServer, WebSocket } = require('ws');

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

const PROTOCOL_VERSION = 1;
const HOST = '127.0.0.1';
const MAX_FRAME_BYTES = 65536;
// Advertised in `welcome` (the Rust server's default); this baseline does not enforce it.
const RATE_PER_SEC = 20;
const TICK_MS = 200; // aggregates / presence batching interval
const LOOK_DURATION_MS = 30000;
const MAX_QUANTITY = 20;
const MAX_LOOKS = 200;
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL']; // wire order (matches the Rust enum order)
const ROLES = ['audience', 'designer', 'organizer'];
const CLIENT_TYPES = ['hello', 'join', 'ping', 'rate', 'intent', 'list_shows', 'create_show', 'control'];
const SUPPORTED = 'hello, join, ping, rate, intent, control';
const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

function parseArgs(argv) {
  const opts = { port: Number(process.env.PORT || 9100), looks: 12 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--port') opts.port = Number(value());
    else if (flag === '--looks') opts.looks = Number(value());
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node server.js [--port 9100] [--looks 12]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error('--port must be an integer 0..65535');
    process.exit(2);
  }
  if (!Number.isInteger(opts.looks) || opts.looks < 1 || opts.looks > MAX_LOOKS) {
    console.error(`--looks must be an integer 1..${MAX_LOOKS}`);
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

// Show clock: integer microseconds since the Unix epoch (fits a JS number: < 2^53).
// Date.now() only has millisecond resolution, so the wall clock is anchored once and advanced
// with performance.now(); the tick re-anchors if the two drift apart by more than 2 ms.
let anchorWallMs = Date.now();
let anchorPerfMs = performance.now();
let lastMicros = 0;
function nowMicros() {
  const t = Math.round((anchorWallMs + (performance.now() - anchorPerfMs)) * 1000);
  lastMicros = Math.max(lastMicros, t); // never step backwards
  return lastMicros;
}
function reanchorClock() {
  const wall = Date.now();
  const perf = performance.now();
  if (Math.abs(anchorWallMs + (perf - anchorPerfMs) - wall) > 2) {
    anchorWallMs = wall;
    anchorPerfMs = perf;
  }
}

// Every frame is {"v":1,"type":...,...}; serialize once per message.
function encode(type, body) {
  return JSON.stringify({ v: PROTOCOL_VERSION, type, ...body });
}

function errorFrame(code, message, key) {
  return encode('error', key === undefined ? { code, message } : { code, message, key });
}

// ---------------------------------------------------------------------------------------
// Shows (in memory). Created lazily on the first join of an id.
// ---------------------------------------------------------------------------------------

const shows = new Map(); // show id -> Show

function createShow(id) {
  const t = nowMicros();
  const lineup = [];
  for (let i = 0; i < opts.looks; i++) {
    const n = String(i).padStart(2, '0');
    lineup.push({
      look: `look-${n}`,
      title: `Look ${n}`,
      designer: 'Baseline Atelier',
      garment: `garment-${n}`,
      duration_ms: LOOK_DURATION_MS,
    });
  }
  const aggregates = new Map(); // look id -> aggregate state
  for (const spec of lineup) {
    aggregates.set(spec.look, {
      histogram: [0, 0, 0, 0, 0],
      starsSum: 0,
      byViewer: new Map(), // viewer -> stars (one rating per viewer per look)
      intents: new Map(), // size -> units
      intentCount: 0,
    });
  }
  return {
    id,
    title: `Baseline show ${id}`,
    epoch: `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
    offset: 0,
    lineup,
    scheduledStart: t,
    status: { phase: 'live', index: 0, started_at: t, ends_at: t + LOOK_DURATION_MS * 1000 },
    clients: new Set(), // joined sockets
    seq: 0, // write sequence number
    aggregates,
    dirtyLooks: new Set(), // looks changed since the last tick
    aggVersion: 0,
    presenceVersion: 0,
    lastPresence: 0,
  };
}

function snapshotOf(show) {
  return {
    show: show.id,
    title: show.title,
    epoch: show.epoch,
    offset: show.offset,
    lineup: show.lineup,
    scheduled_start: show.scheduledStart,
    status: show.status,
  };
}

function lookAggregate(show, look) {
  const a = show.aggregates.get(look);
  const ratings = a.byViewer.size;
  const intents = {};
  for (const size of SIZES) if (a.intents.has(size)) intents[size] = a.intents.get(size);
  return {
    look,
    histogram: a.histogram.slice(),
    ratings,
    mean: ratings === 0 ? 0 : a.starsSum / ratings,
    intents,
    intent_count: a.intentCount,
  };
}

// The plain-ws way: one serialized string, sent to every joined socket as is.
function broadcast(show, frame) {
  for (const ws of show.clients) {
    if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }
}

// ---------------------------------------------------------------------------------------
// Message handlers. `conn` is per-socket state: { viewer, role, show, keys }.
// ---------------------------------------------------------------------------------------

const isId = (s) => typeof s === 'string' && ID_RE.test(s);

function handleHello(ws, conn, msg) {
  if (!isId(msg.viewer)) return ws.send(errorFrame('invalid_field', 'invalid hello message: bad viewer id'));
  if (!ROLES.includes(msg.role)) {
    return ws.send(errorFrame('invalid_field', `invalid hello message: role must be one of ${ROLES.join(', ')}`));
  }
  // The token is ignored: this baseline grants any role.
  if (conn.viewer !== msg.viewer) conn.keys = new Map();
  conn.viewer = msg.viewer;
  conn.role = msg.role;
  ws.send(encode('welcome', {
    viewer: conn.viewer,
    role: conn.role,
    server_time: nowMicros(),
    rate_per_sec: RATE_PER_SEC,
    max_frame_bytes: MAX_FRAME_BYTES,
  }));
}

function handleJoin(ws, conn, msg) {
  if (!isId(msg.show)) return ws.send(errorFrame('invalid_field', 'invalid join message: bad show id'));
  let show = shows.get(msg.show);
  if (!show) {
    show = createShow(msg.show);
    shows.set(show.id, show);
  }
  if (conn.show && conn.show !== show) conn.show.clients.delete(ws);
  conn.show = show;
  show.clients.add(ws);
  // `resume` is not supported: always a fresh snapshot, then every look's totals.
  ws.send(encode('snapshot', { snapshot: snapshotOf(show), resume_failed: msg.resume != null }));
  const looks = show.lineup.map((spec) => lookAggregate(show, spec.look));
  ws.send(encode('aggregates', { show: show.id, version: show.aggVersion, looks }));
}

function handlePing(ws, msg) {
  if (!Number.isSafeInteger(msg.client_time) || msg.client_time < 0) {
    return ws.send(errorFrame('invalid_field', 'invalid ping message: client_time must be a non-negative integer'));
  }
  ws.send(encode('pong', { client_time: msg.client_time, server_time: nowMicros() }));
}

// Validates a rate/intent message; returns an error string or null.
function checkWrite(msg) {
  if (!isId(msg.key)) return 'bad idempotency key';
  if (!isId(msg.look)) return 'bad look id';
  if (msg.type === 'rate') {
    if (!Number.isInteger(msg.stars) || msg.stars < 1 || msg.stars > 5) return `a rating is 1 to 5 stars; got ${msg.stars}`;
  } else {
    if (!SIZES.includes(msg.size)) return `size must be one of ${SIZES.join(', ')}`;
    if (!Number.isInteger(msg.quantity) || msg.quantity < 1 || msg.quantity > MAX_QUANTITY) {
      return `a purchase intent is for 1 to ${MAX_QUANTITY} units; got ${msg.quantity}`;
    }
  }
  return null;
}

function handleWrite(ws, conn, msg) {
  const problem = checkWrite(msg);
  if (problem) return ws.send(errorFrame('invalid_field', `invalid ${msg.type} message: ${problem}`, isId(msg.key) ? msg.key : undefined));
  const show = conn.show;
  if (!show) return ws.send(errorFrame('not_joined', 'join a show before rating or stating intent', msg.key));
  const agg = show.aggregates.get(msg.look);
  if (!agg) return ws.send(errorFrame('no_such_look', `look ${msg.look} is not in show ${show.id}`, msg.key));

  // Idempotency per viewer: the same key gets the stored ack, a different write is a conflict.
  const fingerprint = msg.type === 'rate'
    ? `${show.id}|rate|${msg.look}|${msg.stars}`
    : `${show.id}|intent|${msg.look}|${msg.size}|${msg.quantity}`;
  const seen = conn.keys.get(msg.key);
  if (seen) {
    if (seen.fingerprint !== fingerprint) {
      return ws.send(errorFrame('idempotency_conflict', `key ${msg.key} was used for a different write`, msg.key));
    }
    return ws.send(seen.replayFrame);
  }

  if (msg.type === 'rate') {
    const prev = agg.byViewer.get(conn.viewer);
    if (prev !== undefined) {
      agg.histogram[prev - 1] -= 1;
      agg.starsSum -= prev;
    }
    agg.byViewer.set(conn.viewer, msg.stars);
    agg.histogram[msg.stars - 1] += 1;
    agg.starsSum += msg.stars;
  } else {
    agg.intents.set(msg.size, (agg.intents.get(msg.size) || 0) + msg.quantity);
    agg.intentCount += 1;
  }
  show.dirtyLooks.add(msg.look);

  const ack = { key: msg.key, kind: msg.type === 'rate' ? 'rating' : 'intent', look: msg.look, seq: ++show.seq };
  conn.keys.set(msg.key, { fingerprint, replayFrame: encode('ack', { ...ack, replayed: true }) });
  ws.send(encode('ack', { ...ack, replayed: false }));
}

function handleControl(ws, conn, msg) {
  if (!isId(msg.show)) return ws.send(errorFrame('invalid_field', 'invalid control message: bad show id'));
  if (conn.role !== 'organizer') return ws.send(errorFrame('forbidden', 'only an organizer may control a show'));
  const show = shows.get(msg.show);
  if (!show) return ws.send(errorFrame('no_such_show', `no show ${msg.show}`));
  if (msg.action !== 'advance') {
    return ws.send(errorFrame('invalid_transition', `action ${JSON.stringify(msg.action)} is not supported by this baseline; only "advance"`));
  }
  if (show.status.phase !== 'live') return ws.send(errorFrame('invalid_transition', `show ${show.id} has ended`));

  const now = nowMicros();
  const next = show.status.index + 1;
  let event;
  if (next < show.lineup.length) {
    const endsAt = now + show.lineup[next].duration_ms * 1000;
    show.status = { phase: 'live', index: next, started_at: now, ends_at: endsAt };
    event = { kind: 'look_changed', index: next, look: show.lineup[next].look, effective_at: now, ends_at: endsAt, issued_at: now };
  } else {
    // Advancing past the last look ends the show, as in the Rust server.
    show.status = { phase: 'ended', at: now };
    event = { kind: 'ended', at: now };
  }
  show.offset += 1;
  broadcast(show, encode('timeline', { show: show.id, epoch: show.epoch, offset: show.offset, event }));
  ws.send(encode('controlled', { show: show.id, status: show.status }));
}

// Decodes and dispatches one text frame, checking version and type like the Rust codec.
function handleFrame(ws, conn, data, isBinary) {
  if (isBinary) return ws.send(errorFrame('binary_not_supported', 'send JSON text frames, not binary'));
  let msg;
  try {
    msg = JSON.parse(data.toString('utf8'));
  } catch (e) {
    return ws.send(errorFrame('malformed', `the frame is not valid JSON (${e.message})`));
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    return ws.send(errorFrame('malformed', 'the frame must be a JSON object like {"v":1,"type":"ping",...}'));
  }
  if (msg.v === undefined) {
    return ws.send(errorFrame('unsupported_version', `the frame has no protocol version; add "v":${PROTOCOL_VERSION}`));
  }
  if (msg.v !== PROTOCOL_VERSION) {
    return ws.send(errorFrame('unsupported_version', `protocol version ${JSON.stringify(msg.v)} is not supported; this server speaks version ${PROTOCOL_VERSION}`));
  }
  const type = msg.type;
  if (type !== 'hello' && type !== 'ping' && CLIENT_TYPES.includes(type) && conn.viewer === null) {
    return ws.send(errorFrame('hello_required', 'the first message must be hello'));
  }
  switch (type) {
    case 'hello': return handleHello(ws, conn, msg);
    case 'join': return handleJoin(ws, conn, msg);
    case 'ping': return handlePing(ws, msg);
    case 'rate':
    case 'intent': return handleWrite(ws, conn, msg);
    case 'control': return handleControl(ws, conn, msg);
    default: {
      if (type === undefined) return ws.send(errorFrame('unknown_type', `the frame has no "type"; expected one of: ${SUPPORTED}`));
      const why = CLIENT_TYPES.includes(type) ? ' (not supported by this baseline)' : '';
      return ws.send(errorFrame('unknown_type', `unknown message type ${JSON.stringify(type)}${why}; expected one of: ${SUPPORTED}`));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Server, batching tick and shutdown
// ---------------------------------------------------------------------------------------

const wss = new WebSocketServer({ host: HOST, port: opts.port, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });

wss.on('connection', (ws) => {
  const conn = { viewer: null, role: null, show: null, keys: new Map() };
  ws.on('message', (data, isBinary) => handleFrame(ws, conn, data, isBinary));
  ws.on('close', () => {
    if (conn.show) conn.show.clients.delete(ws);
  });
  ws.on('error', () => {}); // e.g. frame over maxPayload: ws closes the socket with 1009
});

wss.on('listening', () => {
  console.log(`listening on ws://${HOST}:${wss.address().port}`);
});

wss.on('error', (err) => {
  console.error(`server error: ${err.message}`);
  process.exit(1);
});

// Every TICK_MS: one aggregates frame per show with the looks that changed, and one presence
// frame when the joined count changed. Each frame is serialized once for all clients.
const tick = setInterval(() => {
  reanchorClock();
  for (const show of shows.values()) {
    if (show.dirtyLooks.size > 0) {
      const looks = [...show.dirtyLooks].map((look) => lookAggregate(show, look));
      show.dirtyLooks.clear();
      show.aggVersion += 1;
      broadcast(show, encode('aggregates', { show: show.id, version: show.aggVersion, looks }));
    }
    const count = show.clients.size;
    if (count !== show.lastPresence) {
      show.lastPresence = count;
      show.presenceVersion += 1;
      broadcast(show, encode('presence', { show: show.id, version: show.presenceVersion, count }));
    }
  }
}, TICK_MS);

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  clearInterval(tick);
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  wss.close(() => process.exit(0));
  // Clients that do not finish the close handshake are cut off.
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
  }, 1000).unref();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
