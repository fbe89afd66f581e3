// The dashboard's offers panel: reads /local/offers-report (the same report as ./pipeline report offers, built by
// core's OfferReport; docs/offers.md, "The report") and shows one row per offer. Redrawn every 5 seconds.
'use strict';

(() => {
  const REFRESH_MS = 5000;
  const COLUMNS = [
    ['offerId', 'offer'], ['matched', 'matched'], ['heldOut', 'held out'], ['sent', 'sent'],
    ['delivered', 'delivered'], ['bounced', 'bounced'], ['optedOut', 'opted out'], ['converted', 'converted s / c'],
    ['rateSent', 'rate sent'], ['rateControl', 'rate control'], ['uplift', 'uplift (95 % interval)'],
    ['value', 'value per message sent'],
  ];

  const percent = (rate) => (rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`);
  const points = (d) => `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(1)} pp`;

  function cell(line, key) {
    switch (key) {
      case 'converted': return `${line.convertedSent} / ${line.convertedControl}`;
      case 'rateSent': return `${percent(line.rateSent)} of ${line.sentCustomers}`;
      case 'rateControl': return `${percent(line.rateControl)} of ${line.controlCustomers}`;
      case 'uplift': return line.uplift === null ? '–'
        : `${points(line.uplift.difference)} [${points(line.uplift.lower)}, ${points(line.uplift.upper)}]`;
      case 'value': {
        const values = Object.entries(line.valuePerMessageSent || {});
        return values.length ? values.map(([currency, amount]) => `${currency} ${amount}`).join(', ') : '–';
      }
      default: return String(line[key]);
    }
  }

  function render(report) {
    const table = document.createElement('table');
    table.className = 'offers-report';
    const head = table.createTHead().insertRow();
    for (const [, title] of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    const body = table.createTBody();
    for (const line of report.offers) {
      const row = body.insertRow();
      row.dataset.offer = line.offerId;
      for (const [key] of COLUMNS) {
        const td = row.insertCell();
        td.dataset.column = key;
        td.textContent = cell(line, key);
        if (key === 'uplift' && line.uplift !== null) {
          td.dataset.verdict = line.uplift.lower > 0 ? 'better' : line.uplift.upper < 0 ? 'worse' : 'unsure';
        }
      }
    }
    return table;
  }

  async function refresh() {
    const panel = document.getElementById('offers-report-body');
    const note = document.getElementById('offers-report-note');
    try {
      const response = await fetch('/local/offers-report', { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`/local/offers-report answered ${response.status}`);
      const report = await response.json();
      if (!report.offers.length) {
        panel.replaceChildren();
        note.textContent = 'No notifications yet: fire an event on the page.';
        return;
      }
      panel.replaceChildren(render(report));
      note.textContent = `Delivered = ${report.delivered}. Uplift = rate sent − rate control; ${report.interval}.`;
    } catch (error) {
      note.textContent = `The offers report is not answering (${error.message}).`;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
