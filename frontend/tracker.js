// tracker.js: the retailer's page includes this one file (no dependencies, no build step) to send interest
// events to POST /events. docs/api-reference.md, "Sending events from a page", has the snippet.
//
//   const tracker = PersonalisationTracker.create({ endpoint: 'https://api.example.co.za/prod/events' });
//   tracker.track({ customerId: '12345', interest: 'electronics', location: 'Cape Town' });
//
// - Every event gets its eventId here, in the browser, so that a retry is the same event and the pipeline
//   applies it once (the API's idempotency key).
// - Events wait up to `flushAfterMs` and go in batches of up to the API's limit of 500 events a request.
// - 429 and 5xx answers and network errors are retried with exponential backoff and full jitter (honouring
//   Retry-After); items the API answers `retry` for are sent again; 4xx answers are never retried, because the
//   same request would be refused again.
// - When the page is hidden or left, whatever is still waiting goes with navigator.sendBeacon (keepalive fetch
//   where a beacon is refused), because timers and ordinary requests do not outlive the page.
(function (root, factory) {
  'use strict';
  const api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.PersonalisationTracker = api;
  }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /** The API's own limits (docs/api-reference.md). */
  const API_MAX_EVENTS = 500;
  const API_MAX_BYTES = 512 * 1024;
  /** Browsers refuse beacons once 64 KiB are queued for a page; stay below it per beacon. */
  const BEACON_MAX_BYTES = 60 * 1024;
  const ENVELOPE_BYTES = '{"events":[]}'.length;

  function newEventId(crypto) {
    if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    if (crypto && typeof crypto.getRandomValues === 'function') {
      crypto.getRandomValues(bytes);
    } else {
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function requireText(event, field) {
    const value = event[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TypeError(`PersonalisationTracker.track: ${field} must be a non-empty string`);
    }
  }

  /** Splits items into requests of at most maxEvents items and maxBytes of JSON. */
  function batches(items, maxEvents, maxBytes) {
    const out = [];
    let current = [];
    let bytes = ENVELOPE_BYTES;
    for (const item of items) {
      const size = item.json.length + 1;
      if (current.length && (current.length >= maxEvents || bytes + size > maxBytes)) {
        out.push(current);
        current = [];
        bytes = ENVELOPE_BYTES;
      }
      current.push(item);
      bytes += size;
    }
    if (current.length) out.push(current);
    return out;
  }

  function body(items) {
    return `{"events":[${items.map((item) => item.json).join(',')}]}`;
  }

  /** Seconds of a Retry-After header as milliseconds, or null. */
  function retryAfterMs(response) {
    const header = response && response.headers && typeof response.headers.get === 'function'
      ? response.headers.get('Retry-After') : null;
    const seconds = header === null || header === undefined ? NaN : Number(header);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
  }

  /** Violations of item i of a batch, from a problem document's pointers (/events/i/...). */
  function violationsOf(problem, index) {
    const all = problem && Array.isArray(problem.violations) ? problem.violations : [];
    const prefix = `/events/${index}`;
    const own = all.filter((v) => typeof v.pointer === 'string'
      && (v.pointer === prefix || v.pointer.startsWith(`${prefix}/`)));
    return own.length ? own : all.filter((v) => typeof v.pointer !== 'string' || !v.pointer.startsWith('/events/'));
  }

  function create(options) {
    const o = Object.assign({
      maxBatch: API_MAX_EVENTS,
      flushAfterMs: 1000,
      maxAttempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 30000,
      onResult: () => {},
    }, options || {});
    if (typeof o.endpoint !== 'string' || o.endpoint === '') {
      throw new TypeError('PersonalisationTracker.create: endpoint (the URL of POST /events) is required');
    }
    if (!Number.isInteger(o.maxBatch) || o.maxBatch < 1 || o.maxBatch > API_MAX_EVENTS) {
      throw new RangeError(`PersonalisationTracker.create: maxBatch must be 1 to ${API_MAX_EVENTS}`);
    }
    const g = typeof globalThis !== 'undefined' ? globalThis : {};
    const fetchFn = o.fetch || (g.fetch ? g.fetch.bind(g) : null);
    const beacon = o.sendBeacon !== undefined ? o.sendBeacon
      : (g.navigator && typeof g.navigator.sendBeacon === 'function' ? g.navigator.sendBeacon.bind(g.navigator)
        : null);
    const timers = { set: o.setTimeout || g.setTimeout.bind(g), clear: o.clearTimeout || g.clearTimeout.bind(g) };
    const random = o.random || Math.random;
    const now = o.now || (() => new Date());

    const queue = [];
    const waiting = new Set(); // { items, timer } batches waiting to be retried
    let flushTimer = null;
    let inFlight = 0;

    function settle(item, result) {
      if (item.settled) return;
      item.settled = true;
      const full = Object.assign({ eventId: item.event.eventId }, result);
      try {
        o.onResult(full);
      } finally {
        item.resolve(full);
      }
    }

    function scheduleFlush(delay) {
      if (flushTimer !== null) {
        if (delay > 0) return;
        timers.clear(flushTimer);
      }
      flushTimer = timers.set(() => {
        flushTimer = null;
        flush();
      }, delay);
    }

    function track(event) {
      if (!event || typeof event !== 'object') throw new TypeError('PersonalisationTracker.track: pass an event object');
      requireText(event, 'customerId');
      requireText(event, 'interest');
      requireText(event, 'location');
      const copy = {
        eventId: event.eventId || newEventId(g.crypto),
        customerId: event.customerId,
        interest: event.interest,
        location: event.location,
        occurredAt: event.occurredAt || now().toISOString(),
      };
      const item = { event: copy, json: JSON.stringify(copy), settled: false };
      item.done = new Promise((resolve) => { item.resolve = resolve; });
      queue.push(item);
      scheduleFlush(queue.length >= o.maxBatch ? 0 : o.flushAfterMs);
      return copy.eventId;
    }

    /** Sends everything waiting now; resolves with one result per event, once each is settled. */
    function flush() {
      if (flushTimer !== null) {
        timers.clear(flushTimer);
        flushTimer = null;
      }
      const items = queue.splice(0, queue.length);
      for (const batch of batches(items, o.maxBatch, API_MAX_BYTES)) send(batch, 1);
      return Promise.all(items.map((item) => item.done));
    }

    function backoffMs(attempt, response) {
      const told = retryAfterMs(response);
      if (told !== null) return Math.min(told, o.maxDelayMs);
      const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
      return Math.floor(random() * ceiling);
    }

    function retryLater(items, attempt, response, reason) {
      if (attempt >= o.maxAttempts) {
        for (const item of items) settle(item, { status: 'failed', reason, attempts: attempt });
        return;
      }
      const entry = { items, timer: null };
      entry.timer = timers.set(() => {
        waiting.delete(entry);
        send(items, attempt + 1);
      }, backoffMs(attempt, response));
      waiting.add(entry);
    }

    async function send(items, attempt) {
      let response;
      inFlight += items.length;
      try {
        response = await fetchFn(o.endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: body(items),
          credentials: 'omit',
        });
      } catch (error) {
        inFlight -= items.length;
        retryLater(items, attempt, null, `network: ${error && error.message ? error.message : error}`);
        return;
      }
      let json = null;
      try {
        json = await response.json();
      } catch (ignored) {
        json = null;
      }
      inFlight -= items.length;
      if (response.status === 429 || response.status >= 500) {
        retryLater(items, attempt, response, `HTTP ${response.status}`);
      } else if (response.status >= 400) {
        // refused as a whole: the same request would be refused again, so it is never retried
        items.forEach((item, i) => settle(item, { status: 'rejected', httpStatus: response.status,
          violations: violationsOf(json, i) }));
      } else {
        const results = json && Array.isArray(json.results) ? json.results : [];
        const again = [];
        items.forEach((item, i) => {
          const result = results.find((r) => r.index === i) || results[i];
          if (!result || result.status === 'accepted') {
            settle(item, { status: 'accepted', location: result ? result.location : undefined });
          } else if (result.status === 'retry') {
            again.push(item);
          } else {
            settle(item, { status: 'rejected', httpStatus: response.status, violations: result.violations || [] });
          }
        });
        if (again.length) retryLater(again, attempt, response, 'the stream did not take the event in time');
      }
    }

    /** The page is going away: send what is left in beacons, whose outcome the page will never learn. */
    function leave() {
      if (flushTimer !== null) {
        timers.clear(flushTimer);
        flushTimer = null;
      }
      const items = queue.splice(0, queue.length);
      for (const entry of waiting) {
        timers.clear(entry.timer);
        items.push(...entry.items);
      }
      waiting.clear();
      for (const batch of batches(items, o.maxBatch, BEACON_MAX_BYTES)) {
        const payload = body(batch);
        let queued = false;
        try {
          queued = beacon ? beacon(o.endpoint, new Blob([payload], { type: 'application/json' })) : false;
        } catch (ignored) {
          queued = false;
        }
        if (!queued && fetchFn) {
          fetchFn(o.endpoint, { method: 'POST', keepalive: true, credentials: 'omit',
            headers: { 'Content-Type': 'application/json' }, body: payload }).catch(() => {});
        }
        for (const item of batch) settle(item, { status: 'sent-on-exit', via: queued ? 'beacon' : 'keepalive' });
      }
    }

    const target = o.window || (typeof window !== 'undefined' ? window : null);
    const doc = o.document || (typeof document !== 'undefined' ? document : null);
    function onVisibility() {
      if (doc.visibilityState === 'hidden') leave();
    }
    if (target) target.addEventListener('pagehide', leave);
    if (doc) doc.addEventListener('visibilitychange', onVisibility);

    return {
      track,
      flush,
      /** Events not yet settled: waiting, in a request, or waiting to be retried. */
      pending() {
        let retrying = 0;
        for (const entry of waiting) retrying += entry.items.length;
        return queue.length + retrying + inFlight;
      },
      /** Stops listening to the page; what is waiting stays until flush(). */
      stop() {
        if (target) target.removeEventListener('pagehide', leave);
        if (doc) doc.removeEventListener('visibilitychange', onVisibility);
      },
    };
  }

  return { create, API_MAX_EVENTS, BEACON_MAX_BYTES };
}));
