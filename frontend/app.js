// The local page: plain JavaScript, no build step. It talks to the API like any client (with the local API key
// where a route needs one) and reads the local runtime's views under /local/ (config, customers, outbox,
// journeys). Everything it shows about a person is masked.
'use strict';

const POLL_MS = 1000;
const JOURNEY_GIVE_UP_MS = 90_000;
const FINAL = new Set(['delivered', 'suppressed', 'failed', 'no offer', 'held out']);

const state = {
  config: { routes: [], customers: [], apiKey: '', apiKeyHeader: 'x-api-key' },
  customers: new Map(),
  seenMessages: new Map(), // channel:providerMessageId -> the message's delivery-state element
  journeys: new Map(), // eventId -> { started, element, outcome }
};

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function mask(recipient) {
  if (!recipient) return '';
  if (recipient.includes('@')) return recipient[0] + '***' + recipient.slice(recipient.indexOf('@'));
  return recipient.length <= 4 ? '***' : recipient.slice(0, 3) + '*****' + recipient.slice(-2);
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

/** The template route that serves this method and path, or undefined. */
function route(method, path) {
  const parts = path.split('/');
  return state.config.routes.find((candidate) => {
    if (candidate.method !== method && candidate.method !== 'ANY') return false;
    const want = candidate.path.split('/');
    return want.length === parts.length && want.every((part, i) => /^\{.+\}$/.test(part) || part === parts[i]);
  });
}

async function callApi(method, path, body) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const known = route(method, path);
  if (known && known.apiKeyRequired) headers[state.config.apiKeyHeader] = state.config.apiKey;
  const response = await fetch(path, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (ignored) {
    json = null;
  }
  return { status: response.status, ok: response.ok, json, text };
}

// ---------------------------------------------------------------- messages in result regions

function showResult(region, kind, title, items = []) {
  region.replaceChildren();
  region.className = `result ${kind}`;
  region.append(el('p', { class: 'result-title', text: title }));
  if (items.length) {
    const list = el('ul');
    for (const item of items) list.append(el('li', { text: item }));
    region.append(list);
  }
}

function showProblem(region, response, what) {
  const problem = response.json || {};
  const violations = Array.isArray(problem.violations)
    ? problem.violations.map((v) => `${v.pointer || '(body)'}: ${v.message}`)
    : [];
  const title = problem.title && problem.detail ? `${problem.title}: ${problem.detail}` : problem.title
    || problem.detail || `${what} failed with HTTP ${response.status}.`;
  showResult(region, 'error', `${what} was not accepted (HTTP ${response.status}). ${title}`, violations);
}

function markInvalid(input, message) {
  input.setAttribute('aria-invalid', 'true');
  let hint = document.getElementById(`${input.id}-error`);
  if (!hint) {
    hint = el('p', { id: `${input.id}-error`, class: 'field-error' });
    input.insertAdjacentElement('afterend', hint);
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${hint.id}`.trim());
  }
  hint.textContent = message;
}

function clearInvalid(form) {
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const hint of form.querySelectorAll('.field-error')) hint.textContent = '';
}

function missingEndpoint(region, method, path, what) {
  showResult(region, 'warning', `${what} can't be saved yet: this build's API has no ${method} ${path} route `
    + '(the customer endpoints are being added). Nothing was sent.');
}

// ---------------------------------------------------------------- customer

function selectedCustomer() {
  return $('customer').value;
}

function renderCustomer() {
  const customer = state.customers.get(selectedCustomer());
  const summary = $('customer-summary');
  summary.replaceChildren();
  if (!customer) return;
  const consent = customer.consent || {};
  const contact = customer.contact || {};
  const list = el('dl', { class: 'facts' });
  const add = (term, value) => list.append(el('dt', { text: term }), el('dd', { text: value }));
  add('SMS consent', consent.sms || 'unknown');
  add('Email consent', consent.email || 'unknown');
  add('Mobile', contact.phone || 'none');
  add('Email', contact.email || 'none');
  add('Language', contact.locale || '—');
  summary.append(list);
  for (const channel of ['sms', 'email']) {
    for (const radio of document.querySelectorAll(`input[name="${channel}"]`)) {
      radio.checked = radio.value === consent[channel];
    }
  }
  $('phone').placeholder = contact.phone ? `current: ${contact.phone}` : '+27821234567';
  $('email').placeholder = contact.email ? `current: ${contact.email}` : 'name@example.co.za';
  if (contact.locale) $('locale').value = contact.locale;
  if (contact.timeZone) $('timeZone').value = contact.timeZone;
  for (const item of document.querySelectorAll('#offers li')) {
    item.classList.toggle('mine', item.dataset.customerId === selectedCustomer());
  }
}

async function refreshCustomers() {
  try {
    const customers = await getJson('/local/customers');
    state.customers = new Map(customers.map((c) => [c.customerId, c]));
    renderCustomer();
  } catch (error) {
    $('customer-summary').textContent = `Customer details unavailable: ${error.message}`;
  }
}

// ---------------------------------------------------------------- interest

async function sendInterest(event) {
  event.preventDefault();
  const form = $('interest-form');
  const region = $('interest-result');
  clearInvalid(form);
  const interest = $('interest').value.trim();
  const location = $('location').value.trim();
  let invalid = null;
  if (!location) {
    markInvalid($('location'), 'Enter a location.');
    invalid = $('location');
  }
  if (!interest) {
    markInvalid($('interest'), 'Enter an interest.');
    invalid = $('interest');
  }
  if (invalid) {
    showResult(region, 'error', 'Please fill in the highlighted fields.');
    invalid.focus();
    return;
  }
  const button = $('send-interest');
  button.disabled = true;
  try {
    // The page sends through the same tracker a retailer's page includes (tracker.js), and sends at once.
    state.tracker.track({ customerId: selectedCustomer(), interest, location });
    const [result] = await state.tracker.flush();
    if (result.status === 'accepted') {
      const key = result.location && result.location.key;
      const where = key ? ` (location ${key})` : '';
      showResult(region, 'success', `Accepted: event ${result.eventId}${where}. Its journey is below.`);
      trackJourney(result.eventId, interest);
    } else if (result.status === 'rejected') {
      const violations = (result.violations || []).map((v) => `${v.pointer || '(body)'}: ${v.message}`);
      showResult(region, 'error', `The interest was not accepted (HTTP ${result.httpStatus}).`, violations);
    } else {
      showResult(region, 'error', `The API is not answering: ${result.reason || result.status}`);
    }
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- contact and consent

async function saveContact(event) {
  event.preventDefault();
  const region = $('contact-result');
  const form = $('contact-form');
  clearInvalid(form);
  const path = `/customers/${encodeURIComponent(selectedCustomer())}/contact`;
  if (!route('PUT', path)) {
    missingEndpoint(region, 'PUT', '/customers/{id}/contact', 'Contact details');
    return;
  }
  const body = { locale: $('locale').value, timeZone: $('timeZone').value.trim() };
  const phone = $('phone').value.trim();
  const email = $('email').value.trim();
  if (phone) body.phone = phone;
  if (email) body.email = email;
  if (phone && !/^\+[1-9]\d{6,14}$/.test(phone)) {
    markInvalid($('phone'), 'Use the international format: + and 7 to 15 digits, e.g. +27821234567.');
    showResult(region, 'error', 'Please fix the highlighted field.');
    $('phone').focus();
    return;
  }
  await put(region, path, body, 'Contact details', () => {
    $('phone').value = '';
    $('email').value = '';
  });
}

async function saveConsent(event) {
  event.preventDefault();
  const region = $('consent-result');
  const path = `/customers/${encodeURIComponent(selectedCustomer())}/consent`;
  if (!route('PUT', path)) {
    missingEndpoint(region, 'PUT', '/customers/{id}/consent', 'Consent');
    return;
  }
  const body = {};
  for (const channel of ['sms', 'email']) {
    const chosen = document.querySelector(`input[name="${channel}"]:checked`);
    if (chosen) body[channel] = chosen.value;
  }
  if (!Object.keys(body).length) {
    showResult(region, 'error', 'Choose yes or no for at least one channel.');
    return;
  }
  await put(region, path, body, 'Consent');
}

async function put(region, path, body, what, onSuccess = () => {}) {
  try {
    const response = await callApi('PUT', path, body);
    if (response.ok) {
      showResult(region, 'success', `${what} saved for customer ${selectedCustomer()}.`);
      onSuccess();
      setTimeout(refreshCustomers, 1500);
    } else if (response.status === 404 || response.status === 405) {
      missingEndpoint(region, 'PUT', path, what);
    } else {
      showProblem(region, response, what);
    }
  } catch (error) {
    showResult(region, 'error', `The API is not answering: ${error.message}`);
  }
}

// ---------------------------------------------------------------- offers (outbox)

async function pollOutbox() {
  try {
    const { messages } = await getJson('/local/outbox');
    const list = $('offers');
    for (const message of messages) {
      const key = `${message.channel}:${message.providerMessageId}`;
      if (state.seenMessages.has(key)) {
        showDelivery(state.seenMessages.get(key), message.delivery);
        continue;
      }
      const delivery = el('p', { class: 'delivery', role: 'status' });
      showDelivery(delivery, message.delivery);
      state.seenMessages.set(key, delivery);
      const item = el('li', {
        class: `offer ${message.customerId === selectedCustomer() ? 'mine' : ''}`,
        'data-customer-id': message.customerId,
        'data-offer-id': message.offerId,
        'data-event-id': message.eventId,
      },
      el('p', { class: 'offer-head' },
        el('span', { class: `channel ${message.channel}`, text: message.channel.toUpperCase() }),
        ` Offer ${message.offerId || '(unknown)'} to customer ${message.customerId || '?'}`
          + ` (${mask(message.recipient)})`),
      message.subject ? el('p', { class: 'offer-subject', text: message.subject }) : null,
      el('p', { class: 'offer-text', text: message.subject ? firstLine(message.text) : message.text }),
      el('p', { class: 'offer-meta', text: `for event ${message.eventId || '?'}`
        + (message.sentAt ? ` · sent ${new Date(message.sentAt).toLocaleTimeString()}` : '') }),
      delivery,
      feedbackButtons(message, delivery));
      list.prepend(item);
      $('offers-empty').hidden = true;
    }
    setHealth(true);
  } catch (error) {
    setHealth(false, error);
  }
}

// ---------------------------------------------------------------- delivery feedback

const DELIVERY_LABELS = {
  awaiting: 'awaiting the provider\'s receipt',
  delivered: 'delivered',
  bounced: 'bounced (address suppressed)',
  complained: 'marked as spam (address suppressed)',
  rejected: 'rejected by the provider',
  failed: 'not delivered',
  opted_out: 'opted out (SMS consent revoked)',
};

function showDelivery(element, delivery) {
  const value = delivery || 'awaiting';
  if (element.dataset.delivery === value) return;
  element.dataset.delivery = value;
  element.textContent = `Delivery: ${DELIVERY_LABELS[value] || value}`;
}

/** What the customer's phone or mail server could do next: reply STOP to an SMS, bounce an email. */
function feedbackButtons(message, delivery) {
  const actions = el('p', { class: 'offer-actions' });
  const send = async (button, path, body) => {
    button.disabled = true;
    try {
      const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body) });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        delivery.textContent = `${button.textContent} was refused: ${problem.detail || response.status}`;
        button.disabled = false;
      }
    } catch (error) {
      delivery.textContent = `${button.textContent} failed: ${error.message}`;
      button.disabled = false;
    }
  };
  if (message.channel === 'sms' && message.recipient) {
    const stop = el('button', { type: 'button', class: 'secondary', text: 'Reply STOP' });
    // the reply comes from the recipient's phone, as the customer's would; the page never shows the number
    stop.addEventListener('click', () => send(stop, '/local/inbound-sms', { from: message.recipient, text: 'STOP' }));
    actions.append(stop);
  }
  if (message.channel === 'email' && message.providerMessageId) {
    const bounce = el('button', { type: 'button', class: 'secondary', text: 'Bounce' });
    bounce.addEventListener('click', () => send(bounce, '/local/email-events',
      { messageId: message.providerMessageId, type: 'bounce' }));
    const complain = el('button', { type: 'button', class: 'secondary', text: 'Mark as spam' });
    complain.addEventListener('click', () => send(complain, '/local/email-events',
      { messageId: message.providerMessageId, type: 'complaint' }));
    actions.append(bounce, ' ', complain);
  }
  return actions.childElementCount ? actions : null;
}

function firstLine(text) {
  return (text || '').split('\n').find((line) => line.trim()) || '';
}

// ---------------------------------------------------------------- journeys

function trackJourney(eventId, interest) {
  $('journeys-empty').hidden = true;
  const heading = el('h3', { text: `Event ${eventId}` });
  const outcome = el('p', { class: 'outcome pending', role: 'status', text: `Interest “${interest}”: in progress…` });
  const table = el('table', { class: 'stages' },
    el('caption', { class: 'visually-hidden', text: `Stages of event ${eventId}` }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Stage' }),
      el('th', { scope: 'col', text: 'Function' }),
      el('th', { scope: 'col', text: 'After' }),
      el('th', { scope: 'col', text: 'Detail' }))),
    el('tbody'));
  const article = el('article', { class: 'journey', 'data-event-id': eventId }, heading, outcome, table);
  $('journeys').prepend(article);
  state.journeys.set(eventId, { started: Date.now(), article, outcome, tbody: table.tBodies[0], done: false });
}

async function pollJourneys() {
  for (const [eventId, journey] of state.journeys) {
    if (journey.done) continue;
    try {
      const data = await getJson(`/local/journey/${encodeURIComponent(eventId)}`);
      renderJourney(journey, data);
      if (FINAL.has(data.outcome) || Date.now() - journey.started > JOURNEY_GIVE_UP_MS) {
        journey.done = true;
        if (!FINAL.has(data.outcome)) {
          journey.outcome.textContent = 'No outcome after 90 s: see .local-aws/logs/functions.log for this eventId.';
        }
      }
    } catch (error) {
      journey.outcome.textContent = `Journey unavailable: ${error.message}`;
    }
  }
}

function renderJourney(journey, data) {
  journey.tbody.replaceChildren();
  for (const stage of data.stages || []) {
    const detail = Object.entries(stage.detail || {}).map(([k, v]) => `${k} ${v}`).join(', ');
    journey.tbody.append(el('tr', { 'data-stage': stage.stage },
      el('th', { scope: 'row', text: stage.stage }),
      el('td', { text: stage.function }),
      el('td', { text: stage.sinceAcceptedMs === null || stage.sinceAcceptedMs === undefined ? '—'
        : formatMs(stage.sinceAcceptedMs) }),
      el('td', { text: detail })));
  }
  const last = (data.stages || []).at(-1);
  const total = last && last.sinceAcceptedMs != null ? ` in ${formatMs(last.sinceAcceptedMs)}` : '';
  const texts = {
    delivered: `Delivered${total}.`,
    suppressed: `Not sent${total}: ${reasonOf(data)}.`,
    failed: `Delivery failed${total}: ${reasonOf(data)}.`,
    'no offer': 'Profile updated; this change triggered no offer (offers follow a new interest, a rising'
      + ' interest score or a new location).',
    'held out': `Held out${total}: this customer is in the offer's control group, so nothing is sent; their`
      + ' purchases measure what the offer adds (docs/offers.md).',
    pending: `In progress: ${(data.stages || []).length} stage(s) so far…`,
  };
  journey.outcome.textContent = texts[data.outcome] || texts.pending;
  journey.outcome.className = `outcome ${data.outcome.replace(' ', '-')}`;
  journey.article.dataset.outcome = data.outcome;
}

function reasonOf(data) {
  const reasons = (data.stages || []).map((s) => (s.detail || {}).reason).filter(Boolean);
  return reasons.length ? reasons.join(', ').replaceAll('_', ' ') : 'no offer matched';
}

function formatMs(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------- start-up

function setHealth(ok, error) {
  const health = $('health');
  if (ok) {
    health.textContent = `Connected to the local runtime (stage ${state.config.stage || 'local'}).`;
    health.className = 'health ok';
  } else {
    health.textContent = `The local runtime is not answering (${error.message}). Is ./pipeline run still going?`;
    health.className = 'health down';
  }
}

async function start() {
  try {
    state.config = await getJson('/local/config');
  } catch (error) {
    setHealth(false, error);
  }
  const select = $('customer');
  for (const id of state.config.customers || []) select.append(el('option', { value: id, text: id }));
  try {
    const suggestions = await getJson('/local/suggestions');
    for (const interest of suggestions.interests || []) $('interest-options').append(el('option', { value: interest }));
    for (const place of suggestions.locations || []) $('location-options').append(el('option', { value: place }));
  } catch (ignored) {
    // suggestions are a convenience; typing works without them
  }
  // One attempt for the form: a person sees at once whether the API answered, and sends again if not.
  state.tracker = PersonalisationTracker.create({ endpoint: '/events', maxAttempts: 1 });
  select.addEventListener('change', renderCustomer);
  $('interest-form').addEventListener('submit', sendInterest);
  $('contact-form').addEventListener('submit', saveContact);
  $('consent-form').addEventListener('submit', saveConsent);
  await refreshCustomers();
  await pollOutbox();
  setInterval(pollOutbox, POLL_MS);
  setInterval(pollJourneys, POLL_MS);
}

document.addEventListener('DOMContentLoaded', start);
