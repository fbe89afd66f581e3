// Unit tests of frontend/tracker.js with Node's test runner: a fake fetch, fake timers and a fake page (pure
// logic; the real browser, beacon and API are exercised by e2e.mjs). Run: node --test frontend/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { create, API_MAX_EVENTS, BEACON_MAX_BYTES } = require('../tracker.js');

const EVENT = { customerId: '12345', interest: 'electronics', location: 'Cape Town' };
const NOW = new Date('2026-11-25T10:00:00.000Z');

/** Timers that run only when told to, in due order. */
function fakeTimers() {
  let next = 1;
  let clock = 0;
  const due = new Map();
  const history = [];
  return {
    setTimeout: (fn, ms) => { const id = next++; due.set(id, { at: clock + ms, fn, ms }); history.push(ms); return id; },
    clearTimeout: (id) => { due.delete(id); },
    delays: () => [...due.values()].map((t) => t.ms),
    history,
    /** Lets pending promises settle, then fires timers in due order until none is left. */
    async runAll() {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!due.size) return;
        const [id, timer] = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        due.delete(id);
        clock = timer.at;
        timer.fn();
      }
    },
    size: () => due.size,
  };
}

function response(status, body, headers = {}) {
  return {
    status,
    headers: { get: (name) => headers[name] ?? null },
    json: async () => { if (body === undefined) throw new SyntaxError('no body'); return body; },
  };
}

function accepted(count) {
  return response(202, { accepted: count, rejected: 0, retry: 0,
    results: Array.from({ length: count }, (_, index) => ({ index, status: 'accepted' })) });
}

function fakePage() {
  const listeners = new Map();
  const on = (name, fn) => listeners.set(name, fn);
  const off = (name) => listeners.delete(name);
  return {
    window: { addEventListener: on, removeEventListener: off },
    document: { visibilityState: 'visible', addEventListener: on, removeEventListener: off },
    fire(name) { listeners.get(name)(); },
  };
}

function tracker(fetchFn, extra = {}) {
  const timers = fakeTimers();
  const page = fakePage();
  const calls = [];
  const t = create(Object.assign({
    endpoint: '/events', fetch: async (url, init) => { calls.push({ url, init, body: JSON.parse(init.body) });
      return fetchFn(calls.length, init); },
    setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, random: () => 0.5, now: () => NOW,
    sendBeacon: null, window: page.window, document: page.document,
  }, extra));
  return { t, timers, page, calls };
}

test('track assigns an eventId and occurredAt in the browser, and keeps ones the page gave', async () => {
  const { t, calls } = tracker(() => accepted(2));
  const id = t.track(EVENT);
  t.track({ ...EVENT, eventId: 'web-1', occurredAt: '2026-11-25T11:59:00+02:00' });
  const results = await t.flush();

  assert.match(id, /^[0-9a-f-]{32,36}$/);
  assert.deepEqual(calls[0].body.events.map((e) => [e.eventId, e.occurredAt]),
    [[id, '2026-11-25T10:00:00.000Z'], ['web-1', '2026-11-25T11:59:00+02:00']]);
  assert.deepEqual(results.map((r) => [r.eventId, r.status]), [[id, 'accepted'], ['web-1', 'accepted']]);
});

test('track refuses an event without customerId, interest or location, naming the field', () => {
  const { t } = tracker(() => accepted(1));
  assert.throws(() => t.track({ ...EVENT, interest: ' ' }), /interest must be a non-empty string/);
  assert.throws(() => t.track({ customerId: '1', interest: 'x' }), /location must be a non-empty string/);
  assert.equal(t.pending(), 0);
});

test('events wait for flushAfterMs and go in one batch request', async () => {
  const { t, timers, calls } = tracker(() => accepted(3), { flushAfterMs: 2000 });
  for (let i = 0; i < 3; i++) t.track(EVENT);
  assert.equal(calls.length, 0);
  assert.deepEqual(timers.delays(), [2000]);
  await timers.runAll();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].body.events.length, 3);
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
});

test('a full batch of the API limit goes at once, and 1,201 events make three requests of at most 500', async () => {
  const { t, calls } = tracker((n, init) => accepted(JSON.parse(init.body).events.length), { flushAfterMs: 60000 });
  for (let i = 0; i < 1201; i++) t.track(EVENT);
  const results = await t.flush();
  assert.deepEqual(calls.map((c) => c.body.events.length), [500, 500, 201]);
  assert.equal(API_MAX_EVENTS, 500);
  assert.equal(results.filter((r) => r.status === 'accepted').length, 1201);
});

test('429 and 5xx are retried with the same eventIds, with full-jitter backoff and Retry-After', async () => {
  const answers = [response(503, {}, { 'Retry-After': '1' }), response(500, undefined), response(429, {}),
    accepted(2)];
  const { t, timers, calls } = tracker((n) => answers[n - 1]);
  t.track(EVENT);
  t.track(EVENT);
  const done = t.flush();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(timers.delays(), [1000], 'Retry-After: 1 is honoured');
  await timers.runAll();
  const results = await done;
  assert.equal(calls.length, 4);
  const ids = calls.map((c) => c.body.events.map((e) => e.eventId).join());
  assert.equal(new Set(ids).size, 1, 'every retry carries the same eventIds');
  assert.deepEqual(results.map((r) => r.status), ['accepted', 'accepted']);
});

test('backoff grows exponentially up to the cap, drawn from zero to the ceiling (full jitter)', async () => {
  const { t, timers } = tracker(() => response(500, {}), { random: () => 0.999, baseDelayMs: 100,
    maxDelayMs: 1000, maxAttempts: 7 });
  t.track(EVENT);
  const done = t.flush();
  await timers.runAll();
  const results = await done;
  assert.deepEqual(timers.history.slice(1), [99, 199, 399, 799, 999, 999], "after the flush timer of 1000 ms");
  assert.equal(results[0].status, 'failed');
  assert.equal(results[0].attempts, 7);
});

test('a network error is retried; after maxAttempts the event is reported failed, not lost silently', async () => {
  const reported = [];
  const { t, timers, calls } = tracker(() => { throw new TypeError('Failed to fetch'); },
    { maxAttempts: 3, onResult: (r) => reported.push(r) });
  t.track(EVENT);
  const done = t.flush();
  await timers.runAll();
  const [result] = await done;
  assert.equal(calls.length, 3);
  assert.equal(result.status, 'failed');
  assert.match(result.reason, /network: Failed to fetch/);
  assert.deepEqual(reported, [result]);
});

test('4xx is never retried: each item is reported rejected with its own violations', async () => {
  const problem = { status: 400, violations: [{ pointer: '/events/1/interest', message: 'is blank' },
    { pointer: '/events/0/location', message: 'is too long' }] };
  const { t, timers, calls } = tracker(() => response(400, problem));
  t.track(EVENT);
  t.track(EVENT);
  const done = t.flush();
  await timers.runAll();
  const results = await done;
  assert.equal(calls.length, 1);
  assert.deepEqual(results.map((r) => [r.status, r.httpStatus, r.violations.map((v) => v.pointer)]),
    [['rejected', 400, ['/events/0/location']], ['rejected', 400, ['/events/1/interest']]]);
  for (const status of [401, 403, 404, 413, 415]) {
    const other = tracker(() => response(status, {}));
    other.t.track(EVENT);
    const [r] = await other.t.flush();
    await other.timers.runAll();
    assert.equal(other.calls.length, 1, `HTTP ${status} was retried`);
    assert.equal(r.status, 'rejected');
  }
});

test('items the API answers retry for are sent again alone; accepted and rejected ones are not', async () => {
  const first = response(202, { accepted: 1, rejected: 1, retry: 1, results: [
    { index: 0, status: 'accepted' }, { index: 1, status: 'rejected', violations: [{ pointer: '/events/1' }] },
    { index: 2, status: 'retry' }] });
  const { t, timers, calls } = tracker((n) => (n === 1 ? first : accepted(1)));
  const ids = [t.track(EVENT), t.track(EVENT), t.track(EVENT)];
  const done = t.flush();
  await timers.runAll();
  const results = await done;
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1].body.events.map((e) => e.eventId), [ids[2]]);
  assert.deepEqual(results.map((r) => r.status), ['accepted', 'rejected', 'accepted']);
});

test('when the page is hidden, waiting and retrying events go in beacons of at most 60 KiB', async () => {
  const beacons = [];
  const { t, timers, page, calls } = tracker((n) => response(503, {}), {
    flushAfterMs: 60000,
    sendBeacon: (url, blob) => { beacons.push({ url, blob }); return true; },
  });
  const retrying = t.track(EVENT);
  t.flush();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(timers.size(), 1, 'the first event waits to be retried');
  const big = { ...EVENT, location: 'x'.repeat(90) };
  for (let i = 0; i < 600; i++) t.track(big);

  page.document.visibilityState = 'hidden';
  page.fire('visibilitychange');

  assert.equal(timers.size(), 0, 'no timer is left to fire after the page is gone');
  assert.ok(beacons.length >= 2);
  const sent = [];
  for (const beacon of beacons) {
    assert.equal(beacon.url, '/events');
    assert.equal(beacon.blob.type, 'application/json');
    const text = await beacon.blob.text();
    assert.ok(text.length <= BEACON_MAX_BYTES, `beacon of ${text.length} bytes`);
    const { events } = JSON.parse(text);
    assert.ok(events.length <= 500);
    sent.push(...events.map((e) => e.eventId));
  }
  assert.equal(sent.length, 601);
  assert.equal(new Set(sent).size, 601);
  assert.ok(sent.includes(retrying));
  assert.equal(calls.length, 1, 'nothing else went by fetch');
  assert.equal(t.pending(), 0);
});

test('a refused beacon falls back to a keepalive fetch', async () => {
  const { t, page, calls } = tracker(() => accepted(1), { flushAfterMs: 60000, sendBeacon: () => false });
  const id = t.track(EVENT);
  page.fire('pagehide');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].init.keepalive, true);
  assert.deepEqual(calls[0].body.events.map((e) => e.eventId), [id]);
});

test('create refuses a missing endpoint and a batch size over the API limit', () => {
  assert.throws(() => create({}), /endpoint/);
  assert.throws(() => create({ endpoint: '/events', maxBatch: 501 }), /maxBatch must be 1 to 500/);
});
