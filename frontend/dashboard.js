// The local dashboard: reads /local/metrics (the widgets of cloudwatch/dashboard.json computed from the local
// CloudWatch) and draws each metric widget as an SVG line chart and the alarm widget as a list of states.
'use strict';

const REFRESH_MS = 5000;
const COLOURS = ['#0b5cad', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#1098ad', '#5c940d', '#e67700'];
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 220;
const PAD = { left: 48, right: 12, top: 10, bottom: 22 };

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function html(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function format(value) {
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function chart(widget) {
  const points = widget.series.flatMap((s) => s.points.filter((p) => p[1] !== null));
  const figure = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img' });
  const latest = widget.series.map((s) => {
    const last = [...s.points].reverse().find((p) => p[1] !== null);
    return `${s.label} ${last ? format(last[1]) : 'no data'}`;
  });
  figure.setAttribute('aria-label', `${widget.title}: ${latest.join(', ')}`);
  const all = widget.series.flatMap((s) => s.points);
  if (!all.length) return figure;
  const x0 = all[0][0];
  const x1 = Math.max(...all.map((p) => p[0]));
  const ceiling = Math.max(1, ...points.map((p) => p[1]), ...widget.annotations.map((a) => a.value));
  const x = (t) => PAD.left + (x1 === x0 ? 0 : (t - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / ceiling) * (HEIGHT - PAD.top - PAD.bottom);
  figure.append(svg('line', { class: 'axis', x1: PAD.left, y1: y(0), x2: WIDTH - PAD.right, y2: y(0) }));
  for (const fraction of [0, 0.5, 1]) {
    figure.append(svg('text', { class: 'tick', x: PAD.left - 6, y: y(ceiling * fraction) + 3,
      'text-anchor': 'end' }, format(ceiling * fraction)));
  }
  figure.append(svg('text', { class: 'tick', x: PAD.left, y: HEIGHT - 6 }, time(x0)));
  figure.append(svg('text', { class: 'tick', x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end' }, time(x1)));
  for (const line of widget.annotations) {
    figure.append(svg('line', { class: 'threshold', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(line.value),
      y2: y(line.value) }));
    figure.append(svg('text', { class: 'threshold-label', x: WIDTH - PAD.right - 4, y: y(line.value) - 4,
      'text-anchor': 'end' }, line.label));
  }
  widget.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length];
    // a gap in the data (CloudWatch's missing data) breaks the line
    let d = '';
    let pen = 'M';
    for (const [t, v] of series.points) {
      if (v === null) {
        pen = 'M';
        continue;
      }
      d += `${pen}${x(t).toFixed(1)},${y(v).toFixed(1)} `;
      pen = 'L';
      figure.append(svg('circle', { class: 'dot', cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: colour,
        'data-series': series.label, 'data-value': v }));
    }
    if (d) figure.append(svg('path', { class: 'line', d: d.trim(), stroke: colour, 'data-series': series.label }));
  });
  return figure;
}

function widgetCard(widget) {
  const card = html('section', { class: 'widget', 'data-type': widget.type, 'data-title': widget.title,
    style: `grid-column: ${widget.x + 1} / span ${widget.width}; grid-row: ${widget.y + 1} / span ${widget.height}` });
  card.append(html('h2', {}, widget.title));
  if (widget.type === 'alarm') {
    const list = html('ul', { class: 'alarms' });
    for (const alarm of widget.alarms) {
      const item = html('li', { 'data-state': alarm.state, title: alarm.reason || '' },
        `${alarm.name}: ${alarm.state === 'INSUFFICIENT_DATA' ? 'insufficient data' : alarm.state}`);
      list.append(item);
    }
    card.append(list);
    return card;
  }
  const hasData = widget.series.some((s) => s.points.some((p) => p[1] !== null));
  card.append(chart(widget));
  if (!hasData) card.append(html('p', { class: 'nodata' }, 'No data in the last 15 minutes.'));
  const legend = html('ul', { class: 'legend' });
  widget.series.forEach((series, i) => {
    const item = html('li');
    item.append(html('span', { class: 'swatch', style: `background:${COLOURS[i % COLOURS.length]}` }), series.label);
    legend.append(item);
  });
  card.append(legend);
  return card;
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const response = await fetch('/local/metrics', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`/local/metrics answered ${response.status}`);
    const view = await response.json();
    document.getElementById('dashboard').replaceChildren(...view.widgets.map(widgetCard));
    const firing = view.widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.alarms)
      .filter((a) => a.state === 'ALARM').map((a) => a.name);
    status.textContent = `Updated ${new Date(view.generatedAt).toLocaleTimeString()}. `
      + (firing.length ? `In ALARM: ${firing.join(', ')}.` : 'No alarm firing.');
    status.className = 'health ok';
  } catch (error) {
    status.textContent = `The local runtime is not answering (${error.message}). Is ./pipeline run still going?`;
    status.className = 'health down';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  refresh();
  setInterval(refresh, REFRESH_MS);
});
