package za.co.personalisation.replay.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load report as one self-contained HTML page: tables and three inline SVG charts (latency over time,
 * throughput, percentile distribution), no script, no stylesheet or font from anywhere else, so it opens offline
 * and can be attached to a ticket as it is. Drawn from the JSON report alone.
 */
public final class HtmlReport {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 280;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 28;
    private static final int BOTTOM = 44;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private HtmlReport() {
    }

    /** A line to draw; a {@code null} y leaves a gap. */
    record Series(String name, double[] xs, Double[] ys) {
    }

    public static String render(JsonNode report) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .append("<title>Load report ").append(escape(report.path("runId").asText())).append("</title>")
            .append("<style>body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222;"
                + "max-width:1000px}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;"
                + "padding:4px 8px;text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}"
                + "td.l,th.l{text-align:left}.ok{color:#176b24;font-weight:600}.bad{color:#a40000;font-weight:600}"
                + "svg{display:block;margin:8px 0 24px}small{color:#666}</style></head><body>\n");
        JsonNode verdict = report.path("verdict");
        boolean sustained = verdict.path("sustained").asBoolean();
        JsonNode config = report.path("config");
        html.append("<h1>Load report <small>").append(escape(report.path("runId").asText())).append("</small></h1>")
            .append("<p>").append(escape(config.path("target").asText())).append(", ")
            .append(number(config.path("ratePerSecond").asDouble())).append(" events/s for ")
            .append(number(config.path("durationSeconds").asDouble())).append(" s (")
            .append(number(config.path("events").asDouble())).append(" events), started ")
            .append(escape(report.path("startedAt").asText())).append(".</p>")
            .append("<p class=\"").append(sustained ? "ok\">Sustained" : "bad\">Not sustained").append("</p>");
        if (!sustained) {
            html.append("<ul>");
            verdict.path("reasons").forEach(reason -> html.append("<li>").append(escape(reason.asText()))
                .append("</li>"));
            html.append("</ul>");
        }
        html.append("<p><small>").append(escape(verdict.path("rule").asText())).append("</small></p>");

        html.append("<h2>Throughput</h2>");
        keyValues(html, report.path("throughput"));
        html.append("<h2>Latency by stage (ms)</h2>");
        latencyTable(html, report.path("latencyMs").path("stages"));
        html.append("<h2>Latency end to end, from the intended send time (ms)</h2>");
        latencyTable(html, report.path("latencyMs").path("endToEnd"));
        html.append("<p><small>").append(escape(report.path("latencyMs").path("note").asText()))
            .append(" Sender lag (how late the load generator sent): p99 ")
            .append(report.path("latencyMs").path("senderLag").path("p99").asText("-")).append(" ms, max ")
            .append(report.path("latencyMs").path("senderLag").path("max").asText("-")).append(" ms.</small></p>");

        JsonNode timeline = report.path("timeline");
        html.append("<h2>Latency over time</h2>");
        html.append(chart("end-to-end latency by the second the event was due", "second", "ms", List.of(
            series("applied p50", timeline.path("enrichedP50Ms")),
            series("applied p99", timeline.path("enrichedP99Ms")),
            series("applied max", timeline.path("enrichedMaxMs")),
            series("accepted p99", timeline.path("acceptedP99Ms"))), false));
        html.append("<h2>Throughput over time</h2>");
        html.append(chart("events per second", "second", "events/s", List.of(
            series("sent", timeline.path("sent")),
            series("accepted", timeline.path("accepted")),
            series("applied", timeline.path("applied"))), false));
        JsonNode samples = report.path("machine").path("samples");
        if (samples.path("rows").size() > 0) {
            html.append("<h2>Emulator memory and machine load over time</h2><p><small>Sampled every ")
                .append(samples.path("everySeconds").asText()).append(" s from the start of the run to the end of"
                    + " the wait after the last send. Emulator memory (resident): first ")
                .append(samples.path("emulatorMbFirst").asText("-")).append(" MB, highest ")
                .append(samples.path("emulatorMbHighest").asText("-")).append(" MB, last ")
                .append(samples.path("emulatorMbLast").asText("-")).append(" MB, growth ")
                .append(samples.path("emulatorMbGrowth").asText("-")).append(" MB.</small></p>");
            html.append(chart("emulator resident memory", "second", "MB", List.of(
                sampled("emulator MB", samples.path("rows"), "emulatorMb")), false));
            html.append(chart("1-minute load average of the machine", "second", "load", List.of(
                sampled("load average", samples.path("rows"), "loadAverage")), false));
        }
        JsonNode ceiling = report.path("emulatorCeiling");
        if (!ceiling.isMissingNode()) {
            html.append("<h2>The emulator's ceiling in this run</h2><p>The emulator used ")
                .append(ceiling.path("emulatorCpuSeconds").asText()).append(" CPU-seconds to serve ")
                .append(ceiling.path("requestsServed").asText()).append(" requests (")
                .append(ceiling.path("requestsPerCpuSecond").asText()).append(" a CPU-second), ")
                .append(ceiling.path("requestsPerAppliedEvent").asText()).append(" per applied event: it allows ")
                .append(ceiling.path("eventsPerSecondAllowed").asText()).append(" events/s on one core. The pipeline"
                    + " applied ").append(ceiling.path("pipelineAppliedPerSecond").asText()).append(" events/s, ")
                .append(ceiling.path("shareOfEmulatorCeiling").asText()).append(" of that.</p>");
        }
        html.append("<h2>Percentile distribution</h2>");
        List<Series> curves = new ArrayList<>();
        for (Map.Entry<String, JsonNode> curve : report.path("percentileCurves").properties()) {
            if (curve.getValue().isEmpty()) {
                continue;
            }
            double[] xs = new double[curve.getValue().size()];
            Double[] ys = new Double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = curve.getValue().get(i).get(0).asDouble();
                ys[i] = curve.getValue().get(i).get(1).asDouble();
            }
            curves.add(new Series(curve.getKey(), xs, ys));
        }
        html.append(chart("end-to-end latency at each percentile", "percentile", "ms", curves, true));

        html.append("<h2>Errors</h2>");
        JsonNode errors = report.path("errors");
        html.append("<p>Events not accepted: ").append(errors.path("failedEvents").asText()).append("</p>");
        html.append("<h3>By kind</h3>");
        keyValues(html, errors.path("byKind"));
        html.append("<h3>Retried, by kind</h3>");
        keyValues(html, errors.path("retriesByKind"));
        html.append("<h3>Failure queues (growth during the run)</h3>");
        keyValues(html, errors.path("failureQueueGrowth"));
        html.append("<h3>Function errors (local runtime)</h3>");
        keyValues(html, errors.path("functionErrors"));

        html.append("<h2>Lost events</h2>");
        keyValues(html, report.path("loss"));
        html.append("<h2>Pipeline</h2>");
        keyValues(html, report.path("pipeline"));

        html.append("<h2>Cost</h2>");
        costTables(html, report.path("cost"));

        html.append("<h2>AWS calls during the run</h2><p><small>Every SDK call counted, by caller: a function,"
            + " this tool (client), or the local runtime itself; mean time per call as the caller saw it.</small></p>"
            + "<table><tr><th class=\"l\">caller</th><th class=\"l\">service</th><th class=\"l\">operation</th>"
            + "<th>calls</th><th>attempts</th><th>failures</th><th>mean ms</th><th>entries</th></tr>");
        for (JsonNode row : report.path("calls")) {
            html.append("<tr><td class=\"l\">").append(escape(row.path("caller").asText()))
                .append("</td><td class=\"l\">").append(escape(row.path("service").asText()))
                .append("</td><td class=\"l\">")
                .append(escape(row.path("operation").asText())).append("</td>");
            for (String field : new String[] {"calls", "attempts", "failures", "meanMillis", "entries"}) {
                html.append("<td>").append(escape(row.path(field).asText())).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>");
        html.append("<h2>Machine</h2>");
        keyValues(html, report.path("machine"));
        html.append("<h2>Configuration</h2>");
        keyValues(html, config);
        html.append("<p><small>Generated by replay load; the same data is in report.json.</small></p>")
            .append("</body></html>\n");
        return html.toString();
    }

    private static void costTables(StringBuilder html, JsonNode cost) {
        JsonNode prices = cost.path("prices");
        if (!prices.path("checked").asBoolean()) {
            html.append("<p class=\"bad\">").append(escape(prices.path("warning").asText())).append("</p>");
        }
        if (cost.has("incomplete")) {
            html.append("<p class=\"bad\">").append(escape(cost.path("incomplete").asText())).append("</p>");
        }
        html.append("<p>Counted: ").append(escape(cost.path("counted").asText())).append(". Prices: ")
            .append(escape(prices.path("file").asText())).append(", as of ").append(escape(prices.path("asOf")
                .asText())).append(".</p>");
        html.append("<h3>AWS calls per event</h3><table><tr><th class=\"l\">use</th><th class=\"l\">service</th>"
            + "<th>calls per event</th></tr>");
        for (Map.Entry<String, JsonNode> use : cost.path("callsPerEvent").properties()) {
            for (Map.Entry<String, JsonNode> service : use.getValue().properties()) {
                html.append("<tr><td class=\"l\">").append(escape(use.getKey())).append("</td><td class=\"l\">")
                    .append(escape(service.getKey())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", service.getValue().asDouble())).append("</td></tr>");
            }
        }
        html.append("</table>");
        List<String> regions = new ArrayList<>();
        cost.path("totalPerMillionEventsUsd").fieldNames().forEachRemaining(regions::add);
        html.append("<h3>Projected bill per million events (USD)</h3><table><tr><th class=\"l\">item</th>"
            + "<th>units per event</th>");
        regions.forEach(region -> html.append("<th>").append(escape(region)).append("</th>"));
        html.append("<th class=\"l\">how it was counted</th></tr>");
        for (JsonNode line : cost.path("perMillionEvents")) {
            html.append("<tr><td class=\"l\">").append(escape(line.path("item").asText())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.4f", line.path("unitsPerEvent").asDouble())).append("</td>");
            for (String region : regions) {
                JsonNode value = line.path("usd").path(region);
                html.append("<td>").append(value.isNull() || value.isMissingNode() ? "unpriced"
                    : String.format(Locale.ROOT, "%.4f", value.asDouble())).append("</td>");
            }
            html.append("<td class=\"l\"><small>").append(escape(line.path("basis").asText()))
                .append("</small></td></tr>");
        }
        html.append("<tr><th class=\"l\">total (priced items)</th><th></th>");
        regions.forEach(region -> html.append("<th>").append(String.format(Locale.ROOT, "%.4f",
            cost.path("totalPerMillionEventsUsd").path(region).asDouble())).append("</th>"));
        html.append("<th></th></tr></table>");
        html.append("<p>Unpriced items (no figure in the prices file): ");
        regions.forEach(region -> html.append(escape(region)).append(": ")
            .append(escape(cost.path("unpriced").path(region).toString())).append("; "));
        JsonNode shards = cost.path("shardHoursPerMillionEventsUsd");
        html.append("</p><p>Shard-hours (").append(shards.path("shards").asText()).append(" shard, extended"
            + " retention) at a steady ").append(number(shards.path("atEventsPerSecond").asDouble()))
            .append(" events/s add per million events: ");
        regions.forEach(region -> html.append(escape(region)).append(" ").append(shards.path(region).isNull()
            ? "unpriced" : String.format(Locale.ROOT, "%.4f", shards.path(region).asDouble())).append("; "));
        html.append("</p>");
    }

    private static void latencyTable(StringBuilder html, JsonNode stages) {
        html.append("<table><tr><th class=\"l\">stage</th><th>count</th><th>p50</th><th>p90</th><th>p99</th>"
            + "<th>p99.9</th><th>max</th><th>mean</th></tr>");
        for (Map.Entry<String, JsonNode> stage : stages.properties()) {
            JsonNode p = stage.getValue();
            html.append("<tr><td class=\"l\">").append(escape(stage.getKey())).append("</td>");
            for (String field : new String[] {"count", "p50", "p90", "p99", "p99_9", "max", "mean"}) {
                html.append("<td>").append(p.has(field) ? p.get(field).asText() : "-").append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>");
    }

    private static void keyValues(StringBuilder html, JsonNode node) {
        if (node == null || node.isEmpty()) {
            html.append("<p>none</p>");
            return;
        }
        html.append("<table>");
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            html.append("<tr><th class=\"l\">").append(escape(entry.getKey())).append("</th><td class=\"l\">")
                .append(escape(value.isValueNode() ? value.asText() : value.toString())).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static Series series(String name, JsonNode values) {
        double[] xs = new double[values.size()];
        Double[] ys = new Double[values.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i;
            ys[i] = values.get(i).isNull() ? null : values.get(i).asDouble();
        }
        return new Series(name, xs, ys);
    }

    /** A series of the machine samples' {@code field} against their seconds. */
    static Series sampled(String name, JsonNode rows, String field) {
        double[] xs = new double[rows.size()];
        Double[] ys = new Double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = rows.get(i).path("seconds").asDouble();
            ys[i] = rows.get(i).has(field) ? rows.get(i).path(field).asDouble() : null;
        }
        return new Series(name, xs, ys);
    }

    /** A line chart; on a percentile axis x is drawn as -log10(1 - p/100), so 90, 99 and 99.9 are evenly apart. */
    static String chart(String title, String xLabel, String yLabel, List<Series> series, boolean percentileAxis) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                if (s.ys()[i] == null) {
                    continue;
                }
                double x = percentileAxis ? nines(s.xs()[i]) : s.xs()[i];
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, s.ys()[i]);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
            .append("\" role=\"img\"><title>").append(escape(title)).append("</title>");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"16\" font-size=\"13\">").append(escape(title))
            .append("</text>");
        if (minX == Double.MAX_VALUE) {
            svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT / 2)
                .append("\" font-size=\"13\">no data</text></svg>");
            return svg.toString();
        }
        if (percentileAxis) {
            minX = 0;
            maxX = Math.max(maxX, 3);
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        double yTop = niceCeiling(maxY);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth)
            .append("\" height=\"").append(plotHeight).append("\" fill=\"none\" stroke=\"#999\"/>");
        for (int i = 0; i <= 4; i++) {
            double value = yTop * i / 4;
            double y = TOP + plotHeight - plotHeight * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", LEFT, y,
                LEFT + plotWidth, y, LEFT - 6, y + 4, number(value)));
        }
        List<double[]> xTicks = new ArrayList<>();
        if (percentileAxis) {
            double[][] labels = {{0, 0}, {nines(50), 50}, {1, 90}, {2, 99}, {3, 99.9}, {4, 99.99}, {5, 99.999}};
            for (double[] label : labels) {
                if (label[0] <= maxX) {
                    xTicks.add(label);
                }
            }
        } else {
            double step = niceCeiling((maxX - minX) / 5);
            for (double value = Math.ceil(minX / step) * step; value <= maxX + 1e-9; value += step) {
                xTicks.add(new double[] {value, value});
            }
        }
        for (double[] tick : xTicks) {
            double x = LEFT + plotWidth * (tick[0] - minX) / (maxX - minX);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">"
                + "%s</text>", x, TOP + plotHeight + 16, percentileAxis ? number(tick[1]) + "%" : number(tick[1])));
        }
        svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"").append(HEIGHT - 6)
            .append("\" font-size=\"12\" text-anchor=\"middle\">").append(escape(xLabel)).append("</text>");
        int middle = TOP + plotHeight / 2;
        svg.append("<text x=\"14\" y=\"").append(middle).append("\" font-size=\"12\" transform=\"rotate(-90 14 ")
            .append(middle).append(")\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>");
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < line.xs().length; i++) {
                if (line.ys()[i] == null) {
                    flush(svg, points, colour);
                    continue;
                }
                double xValue = percentileAxis ? nines(line.xs()[i]) : line.xs()[i];
                double x = LEFT + plotWidth * (xValue - minX) / (maxX - minX);
                double y = TOP + plotHeight - plotHeight * (line.ys()[i] / yTop);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            flush(svg, points, colour);
            int legendY = TOP + 14 + s * 18;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                + " stroke-width=\"2\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>", LEFT + plotWidth + 10,
                legendY - 4, LEFT + plotWidth + 30, legendY - 4, colour, LEFT + plotWidth + 36, legendY,
                escape(line.name())));
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private static void flush(StringBuilder svg, StringBuilder points, String colour) {
        if (points.length() == 0) {
            return;
        }
        String text = points.toString().trim();
        if (!text.contains(" ")) {
            String[] xy = text.split(",");
            svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"2\" fill=\"")
                .append(colour).append("\"/>");
        } else {
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                .append(text).append("\"/>");
        }
        points.setLength(0);
    }

    /** How many nines: 90 % → 1, 99 % → 2; 100 % is drawn just beyond the highest other point. */
    static double nines(double percentile) {
        if (percentile >= 100) {
            return 5;
        }
        return -Math.log10(1 - percentile / 100);
    }

    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double value) {
        if (Math.abs(value - Math.rint(value)) < 1e-9) {
            return String.format(Locale.ROOT, "%,d", (long) Math.rint(value));
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
