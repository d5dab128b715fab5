#!/usr/bin/env node
// Smoke test for the ws-broadcast baseline (server.js).
//
// Connects two clients to a running server, says hello and joins the same (fresh) show with
// both, rates and states intent from the first, advances the show from the second, and checks
// that both receive the timeline event and an aggregates message with the new totals.
// Exits 0 on success, 1 on the first failed check.
//
// Usage: node smoke.js [--port 9100]

'use strict';

const assert = require('node:assert/strict');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');

const portArg = process.argv.indexOf('--port');
const port = Number(portArg >= 0 ? process.argv[portArg + 1] : process.env.PORT || 9100);
const url = `ws://127.0.0.1:${port}`;
const SHOW = `smoke-${Date.now()}`; // a fresh show per run
const TIMEOUT_MS = 3000;

const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

// A client that queues incoming frames and lets the test wait for one matching a predicate.
function client(name) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const inbox = [];
  const waiters = new Set(); // pending next() checks
  ws.on('message', (data) => {
    inbox.push(JSON.parse(data.toString()));
    for (const check of [...waiters]) check();
  });
  const send = (msg) => ws.send(JSON.stringify({ v: 1, ...msg }));
  // Resolves with (and removes) the first queued or future frame matching `pred`.
  const next = (what, pred) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`${name}: no ${what} within ${TIMEOUT_MS} ms; got ${JSON.stringify(inbox)}`));
    }, TIMEOUT_MS);
    const check = () => {
      const i = inbox.findIndex(pred);
      if (i < 0) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(inbox.splice(i, 1)[0]);
    };
    waiters.add(check);
    check();
  });
  const ofType = (type, pred = () => true) => next(type, (m) => m.type === type && pred(m));
  const open = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { name, ws, send, ofType, open };
}

function log(line) {
  console.log(`ok  ${line}`);
}

async function main() {
  const a = client('A');
  const b = client('B');
  await Promise.all([a.open, b.open]);
  log(`connected two clients to ${url}`);

  a.send({ type: 'hello', viewer: 'smoke-a', role: 'audience' });
  b.send({ type: 'hello', viewer: 'smoke-b', role: 'organizer', token: 'ignored' });
  const [wa, wb] = await Promise.all([a.ofType('welcome'), b.ofType('welcome')]);
  assert.equal(wa.v, 1);
  assert.equal(wa.viewer, 'smoke-a');
  assert.equal(wb.role, 'organizer');
  assert.equal(wa.max_frame_bytes, 65536);
  log(`welcome: ${JSON.stringify(wa)}`);

  a.send({ type: 'join', show: SHOW });
  b.send({ type: 'join', show: SHOW });
  const [sa, sb] = await Promise.all([a.ofType('snapshot'), b.ofType('snapshot')]);
  assert.equal(sa.resume_failed, false);
  assert.equal(sa.snapshot.show, SHOW);
  assert.equal(sa.snapshot.lineup.length, 12);
  assert.equal(sa.snapshot.lineup[11].look, 'look-11');
  assert.equal(sa.snapshot.status.phase, 'live');
  assert.equal(sa.snapshot.status.index, 0);
  assert.equal(sa.snapshot.status.ends_at - sa.snapshot.status.started_at, 30_000_000);
  assert.equal(sb.snapshot.epoch, sa.snapshot.epoch);
  log(`snapshot: show=${SHOW} epoch=${sa.snapshot.epoch} offset=${sa.snapshot.offset} looks=${sa.snapshot.lineup.length} status=${JSON.stringify(sa.snapshot.status)}`);

  const presence = await b.ofType('presence', (m) => m.count === 2);
  log(`presence: ${JSON.stringify(presence)}`);

  a.send({ type: 'ping', client_time: 42 });
  const pong = await a.ofType('pong');
  assert.equal(pong.client_time, 42);
  assert.ok(Number.isSafeInteger(pong.server_time) && Math.abs(pong.server_time - nowMicros()) < 5_000_000);
  log(`pong: ${JSON.stringify(pong)}`);

  a.send({ type: 'rate', key: 'k-rate-1', look: 'look-00', stars: 4 });
  const ack1 = await a.ofType('ack', (m) => m.key === 'k-rate-1');
  assert.deepEqual({ ...ack1, seq: 0 }, { v: 1, type: 'ack', key: 'k-rate-1', kind: 'rating', look: 'look-00', seq: 0, replayed: false });
  log(`ack: ${JSON.stringify(ack1)}`);

  a.send({ type: 'rate', key: 'k-rate-1', look: 'look-00', stars: 4 });
  const ack1r = await a.ofType('ack', (m) => m.key === 'k-rate-1');
  assert.equal(ack1r.replayed, true);
  assert.equal(ack1r.seq, ack1.seq);
  log(`repeated key replays the ack: ${JSON.stringify(ack1r)}`);

  a.send({ type: 'intent', key: 'k-intent-1', look: 'look-00', size: 'M', quantity: 2 });
  const ack2 = await a.ofType('ack', (m) => m.key === 'k-intent-1');
  assert.equal(ack2.kind, 'intent');
  assert.ok(ack2.seq > ack1.seq);
  log(`ack: ${JSON.stringify(ack2)}`);

  b.send({ type: 'control', show: SHOW, action: 'advance' });
  const [ta, tb, ctl] = await Promise.all([a.ofType('timeline'), b.ofType('timeline'), b.ofType('controlled')]);
  const received = nowMicros();
  for (const t of [ta, tb]) {
    assert.equal(t.show, SHOW);
    assert.equal(t.offset, sa.snapshot.offset + 1);
    assert.equal(t.event.kind, 'look_changed');
    assert.equal(t.event.index, 1);
    assert.equal(t.event.look, 'look-01');
    assert.ok(Number.isSafeInteger(t.event.issued_at));
  }
  assert.deepEqual(ta, tb);
  assert.equal(ctl.status.phase, 'live');
  assert.equal(ctl.status.index, 1);
  log(`timeline to both: ${JSON.stringify(ta)} (delivery ~${received - ta.event.issued_at} us)`);
  log(`controlled: ${JSON.stringify(ctl)}`);

  const hasLook00 = (m) => m.looks.some((l) => l.look === 'look-00' && l.ratings === 1 && l.intent_count === 1);
  const [aa, ab] = await Promise.all([a.ofType('aggregates', hasLook00), b.ofType('aggregates', hasLook00)]);
  const look00 = aa.looks.find((l) => l.look === 'look-00');
  assert.deepEqual(look00, { look: 'look-00', histogram: [0, 0, 0, 1, 0], ratings: 1, mean: 4, intents: { M: 2 }, intent_count: 1 });
  assert.equal(aa.version, ab.version);
  assert.ok(aa.version >= 1);
  log(`aggregates to both: ${JSON.stringify(aa)}`);

  a.send({ type: 'dance' });
  const err = await a.ofType('error');
  assert.equal(err.code, 'unknown_type');
  log(`error: ${JSON.stringify(err)}`);

  a.ws.close();
  b.ws.close();
  console.log('smoke test passed');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`FAIL ${err.message}`);
    process.exit(1);
  },
);
