#!/usr/bin/env python3
"""Renders the documentation figures (docs/figures/*.png) from the project's real configuration.

The seed document's figures A.2-A.10 are AWS console screenshots. These figures show the same things from the
files that define them, so they cannot drift from what `sam deploy` creates:

    architecture.png       A.1   architecture.svg (drawn by hand; its data-resource ids are checked against
                                 template.yaml, and template resources it leaves out are listed)
    insert-errors-alarm.png A.2  InsertErrorsMetricFilter and InsertErrorsAlarm of template.yaml
    api-stage.png          A.3, A.5, A.7, A.8, A.9   the API stage settings of template.yaml beside API Gateway's
                                 defaults for a new stage
    tracing.png            A.4   X-Ray: the stage, every function, the sampling rule, the coverage alarm
    metrics.png            A.6   the Personalisation metrics the dashboard and alarms use, with the totals a local
                                 run emitted (from its EMF log lines; only with --emf-log)
    alarms.png             (monitoring summary) every AWS::CloudWatch::Alarm of template.yaml
    dashboard.png          A.10  cloudwatch/dashboard.json's widget layout, titles and metrics
    dashboard-local.png    A.10  the same, each Personalisation metric annotated with its total in a local run
                                 (only with --emf-log)

Names are shown for Stage=dev in af-south-1. Needs Python 3 with PyYAML and Chromium (Debian: apt-get install -y
chromium). The two local-run figures need the functions.log of a run of local-run.sh. Usage (render.sh wraps it):

    python3 docs/figures/render.py [--emf-log .local-aws/logs/functions.log] [--only NAME ...] [--keep-html DIR]
"""
import argparse
import html
import json
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIGURES = ROOT / "docs" / "figures"
TEMPLATE = ROOT / "template.yaml"
DASHBOARD = ROOT / "cloudwatch" / "dashboard.json"
QUERIES = ROOT / "cloudwatch" / "queries"
DISPLAY = {"Stage": "dev", "AWS::Region": "af-south-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
WIDTH = 1400
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1", "--default-background-color=ffffffff"]


# ------------------------------------------------------------------------------------------------ template reading
class CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation short-form tags (!Ref, !Sub, !GetAtt, ...) as their long forms."""


def _cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


class Template:
    """template.yaml, with values shown as they would be for Stage=dev."""

    NAME_KEYS = ("FunctionName", "QueueName", "TopicName", "TableName", "AlarmName", "LogGroupName",
                 "DashboardName", "StreamName", "Name")

    def __init__(self, path):
        self.doc = yaml.load(path.read_text(), Loader=CfnLoader)
        self.resources = self.doc["Resources"]
        self.parameters = self.doc.get("Parameters", {})
        self.globals = self.doc.get("Globals", {})

    def of_type(self, resource_type):
        return [(logical, r) for logical, r in self.resources.items() if r.get("Type") == resource_type]

    def props(self, logical):
        return self.resources[logical].get("Properties", {})

    def name_of(self, logical):
        props = self.resources.get(logical, {}).get("Properties", {})
        for key in self.NAME_KEYS:
            if key in props and isinstance(props[key], (str, dict)):
                return self.show(props[key])
        return logical

    def parameter(self, name):
        if name in DISPLAY:
            return DISPLAY[name]
        return str(self.parameters.get(name, {}).get("Default", name))

    def show(self, value):
        """A template value as text: intrinsics resolved for display."""
        if isinstance(value, dict) and len(value) == 1:
            key, arg = next(iter(value.items()))
            if key == "Ref":
                if arg in DISPLAY or arg in self.parameters:
                    return self.parameter(arg)
                return self.name_of(arg)
            if key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                return re.sub(r"\$\{([^}!]+)\}", lambda m: self._substitute(m.group(1)), text)
            if key == "Fn::GetAtt":
                resource, attribute = arg
                if attribute in ("QueueName", "StreamArn", "Arn"):
                    return self.name_of(resource) + ("" if attribute == "QueueName" else f" ({attribute})")
                return f"{resource}.{attribute}"
        if isinstance(value, list):
            return ", ".join(self.show(v) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def _substitute(self, name):
        if name in DISPLAY or name in self.parameters:
            return self.parameter(name)
        if "." in name:
            return self.show({"Fn::GetAtt": name.split(".", 1)})
        if name in self.resources:
            return self.name_of(name)
        return "${" + name + "}"

    def function_setting(self, logical, key):
        props = self.props(logical)
        if key in props:
            return props[key]
        return self.globals.get("Function", {}).get(key)


def display_sub(text):
    """${Stage}-style placeholders of cloudwatch/ files, shown for Stage=dev."""
    return re.sub(r"\$\{([^}]+)\}", lambda m: DISPLAY.get(m.group(1), m.group(0)), text)


# ------------------------------------------------------------------------------------------------ EMF log reading
def emf_totals(path):
    """Sum of every EMF metric in a functions.log, keyed by (namespace, name, sorted dimensions): the same
    extraction CloudWatch Logs (and local/runtime's Emf.java) applies, one datapoint per dimension set."""
    totals = {}
    lines = 0
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if '"_aws"' not in line:
                continue
            try:
                root = json.loads(line)
            except ValueError:
                continue
            lines += 1
            for directive in root.get("_aws", {}).get("CloudWatchMetrics", []):
                for dimension_set in directive.get("Dimensions", []):
                    dims = tuple(sorted((d, str(root.get(d, ""))) for d in dimension_set))
                    for metric in directive.get("Metrics", []):
                        value = root.get(metric.get("Name"))
                        if isinstance(value, (int, float)) and not isinstance(value, bool):
                            key = (directive.get("Namespace"), metric["Name"], dims)
                            totals[key] = totals.get(key, 0) + value
    return totals, lines


# ------------------------------------------------------------------------------------------------ HTML
CSS = """
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
       font-size: 14px; color: #16191f; }
#page { padding: 22px 26px 26px 26px; width: %dpx; }
h1 { font-size: 21px; margin: 0 0 4px 0; }
.sub { color: #545b64; margin: 0 0 16px 0; font-size: 13.5px; }
table { border-collapse: collapse; width: 100%%; }
th { text-align: left; background: #f2f3f3; color: #16191f; font-size: 13px; padding: 8px 10px;
     border-bottom: 2px solid #d5dbdb; }
td { padding: 7px 10px; border-bottom: 1px solid #e9ebed; vertical-align: top; font-size: 13.5px; }
tr:nth-child(even) td { background: #fafafa; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
.muted { color: #545b64; }
.small { font-size: 12px; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; }
.on { background: #e9f6ec; color: #1d8102; border: 1px solid #1d8102; }
.off { background: #fdf0ef; color: #b0301d; border: 1px solid #d13212; }
.neutral { background: #f2f3f3; color: #545b64; border: 1px solid #aab7b8; }
.card { border: 1px solid #d5dbdb; border-radius: 8px; margin: 0 0 16px 0; }
.card h2 { font-size: 15.5px; margin: 0; padding: 10px 14px; background: #f8f8f8; border-bottom: 1px solid #d5dbdb;
           border-radius: 8px 8px 0 0; }
.card .body { padding: 12px 14px; }
.kv { display: grid; grid-template-columns: 250px 1fr; row-gap: 7px; column-gap: 14px; }
.kv .k { color: #545b64; }
.nw { white-space: nowrap; }
.kv4 { display: grid; grid-template-columns: 150px 1fr 150px 1fr 150px 1fr; row-gap: 7px; column-gap: 14px; }
.kv4 .k { color: #545b64; }
.foot { color: #687078; font-size: 12px; margin-top: 14px; }
.flow { display: flex; align-items: stretch; gap: 0; margin: 4px 0 16px 0; }
.step { flex: 1; border: 2px solid #1d8102; border-radius: 8px; padding: 9px 11px; background: #f3fbf5;
        font-size: 13px; }
.step b { display: block; margin-bottom: 4px; font-size: 13.5px; }
.arrow { width: 34px; display: flex; align-items: center; justify-content: center; font-size: 22px;
         color: #1d8102; }
""" % WIDTH


def page(title, subtitle, body, foot):
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{CSS}</style></head><body><div id="page">
<h1>{html.escape(title)}</h1><p class="sub">{subtitle}</p>
{body}
<p class="foot">{foot}</p>
</div>
<script>document.body.setAttribute("data-height",
  String(Math.ceil(document.getElementById("page").getBoundingClientRect().height)));</script>
</body></html>"""


def esc(value):
    return html.escape(str(value))


def pill(text, kind):
    return f'<span class="pill {kind}">{esc(text)}</span>'


# ------------------------------------------------------------------------------------------------ alarms
COMPARISON = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": "≥", "LessThanThreshold": "<",
              "LessThanOrEqualToThreshold": "≤"}


def metric_text(t, metric, stat, period):
    dims = ", ".join(f"{d['Name']}={t.show(d['Value'])}" for d in metric.get("Dimensions", []))
    return (f"<code>{esc(metric['Namespace'])}</code> <b>{esc(metric['MetricName'])}</b>"
            + (f" <span class='muted small'>{esc(dims)}</span>" if dims else "")
            + f" <span class='muted small'>· {esc(stat)} per {esc(period)} s</span>")


def alarm_unit(p):
    """The unit an alarm's threshold is in, for display."""
    if "Metrics" in p:
        expressions = " ".join(q.get("Expression", "") for q in p["Metrics"])
        return " %" if "100 *" in expressions else ""
    return {"Latency": " ms", "IteratorAge": " ms", "Duration": " ms"}.get(p.get("MetricName"), "")


def alarm_rows(t):
    rows = []
    for logical, resource in t.of_type("AWS::CloudWatch::Alarm"):
        p = resource["Properties"]
        if "Metrics" in p:
            parts = []
            result = None
            for query in p["Metrics"]:
                if "Expression" in query:
                    result = query
                else:
                    stat = query["MetricStat"]
                    parts.append(f"<code>{esc(query['Id'])}</code> = "
                                 + metric_text(t, stat["Metric"], stat["Stat"], stat["Period"]))
            condition = (f"<code>{esc(result['Expression'])}</code>"
                         + (f" <span class='muted small'>({esc(result.get('Label', ''))})</span>"
                            if result.get("Label") else "")
                         + "<br>" + "<br>".join(parts))
            period = p["Metrics"][0]["MetricStat"]["Period"]
        else:
            stat = p.get("ExtendedStatistic", p.get("Statistic"))
            condition = metric_text(t, p, stat, p["Period"])
            period = p["Period"]
        threshold = f"{COMPARISON[p['ComparisonOperator']]} {p['Threshold']:g}{alarm_unit(p)}"
        evaluation = p["EvaluationPeriods"]
        datapoints = p.get("DatapointsToAlarm", evaluation)
        description = p.get("AlarmDescription", "")
        seed = re.search(r"\(seed: ([^)]*)\)", description)
        if seed:
            source = "seed: " + seed.group(1)
        elif "IteratorAge" in json.dumps(p, default=str):
            source = "DESIGN.md: iterator age"
        elif "ApproximateNumberOfMessagesVisible" in json.dumps(p, default=str):
            source = "DESIGN.md: DLQ depth"
        else:
            source = "—"
        runbook = re.search(r"docs/runbook\.md#([a-z0-9-]+)", description)
        rows.append({
            "logical": logical, "name": t.show(p["AlarmName"]), "condition": condition, "threshold": threshold,
            "window": f"{datapoints} of {evaluation} × {period} s", "missing": p.get("TreatMissingData", "missing"),
            "source": source, "runbook": "#" + runbook.group(1) if runbook else "—",
            "actions": ", ".join(t.show(a) for a in p.get("AlarmActions", [])),
            "ok": ", ".join(t.show(a) for a in p.get("OKActions", [])), "description": description, "props": p,
        })
    return rows


def figure_alarms(t):
    rows = alarm_rows(t)
    body = ["<table><tr><th>alarm</th><th>metric or metric math</th><th>alarm when</th><th>datapoints</th>"
            "<th>missing data</th><th>threshold from</th><th>runbook</th></tr>"]
    for r in rows:
        body.append(f"<tr><td><b>{esc(r['name'])}</b><br><span class='muted small'>{esc(r['logical'])}</span></td>"
                    f"<td>{r['condition']}</td><td class='nw'><b>{esc(r['threshold'])}</b></td>"
                    f"<td class='nw'>{esc(r['window'])}</td>"
                    f"<td>{esc(r['missing'])}</td><td>{esc(r['source'])}</td>"
                    f"<td><code>{esc(r['runbook'])}</code></td></tr>")
    body.append("</table>")
    actions = sorted({r["actions"] for r in rows} | {r["ok"] for r in rows})
    return page(f"CloudWatch alarms ({len(rows)}), from template.yaml",
                "Every alarm notifies " + esc(" / ".join(actions)) + " on ALARM and on OK. "
                "Metric-math alarms evaluate the expression; the ids below it are its inputs.",
                "".join(body),
                "Rendered by docs/figures/render.py from template.yaml (generated from cloudwatch/alarms.yaml). "
                "Names shown for Stage=dev.")


def figure_insert_errors(t):
    alarm = next(r for r in alarm_rows(t) if r["logical"] == "InsertErrorsAlarm")
    p = alarm["props"]
    f = t.props("InsertErrorsMetricFilter")
    transformation = f["MetricTransformations"][0]
    email = t.show(t.props("AlertsEmailSubscription")["Endpoint"]) if "AlertsEmailSubscription" in t.resources \
        else "—"
    flow = f"""<div class="flow">
<div class="step"><b>enrich-function log line</b><code>{{"level":"WARN",<br>"message":"profile.write_failed",<br>
"customerId":"…","errorType":"…"}}</code></div><div class="arrow">→</div>
<div class="step"><b>Metric filter</b>log group <code>{esc(t.show(f['LogGroupName']))}</code><br>
pattern <code>{esc(f['FilterPattern'])}</code></div><div class="arrow">→</div>
<div class="step"><b>Metric</b><code>{esc(transformation['MetricNamespace'])}/{esc(transformation['MetricName'])}</code>
<br>value {esc(transformation['MetricValue'])} per matching line, {esc(transformation.get('DefaultValue', '—'))}
otherwise</div><div class="arrow">→</div>
<div class="step"><b>Alarm</b><code>{esc(alarm['name'])}</code><br>{esc(p['Statistic'])} {esc(alarm['threshold'])}
in {esc(alarm['window'])}</div><div class="arrow">→</div>
<div class="step"><b>Notification</b>SNS <code>{esc(alarm['actions'])}</code><br>→ email {esc(email)}</div>
</div>"""
    details = f"""<div class="card"><h2>Alarm details</h2><div class="body kv">
<div class="k">Name</div><div><b>{esc(alarm['name'])}</b></div>
<div class="k">Description</div><div>{esc(alarm['description'])}</div>
<div class="k">Namespace · metric</div><div><code>{esc(p['Namespace'])}</code> · <code>{esc(p['MetricName'])}</code>
 (no dimensions)</div>
<div class="k">Statistic · period</div><div>{esc(p['Statistic'])} · {esc(p['Period'])} seconds</div>
<div class="k">Threshold type · condition</div><div>Static · {esc(p['MetricName'])} {esc(alarm['threshold'])}</div>
<div class="k">Datapoints to alarm</div><div>{esc(alarm['window'])}: the first failed write alarms (immediate)</div>
<div class="k">Missing data treatment</div><div>{esc(alarm['missing'])} (a quiet minute is good)</div>
<div class="k">In ALARM · back to OK</div><div>notify <code>{esc(alarm['actions'])}</code> ·
 notify <code>{esc(alarm['ok'])}</code></div>
<div class="k">Runbook</div><div><code>docs/runbook.md{esc(alarm['runbook'])}</code></div>
</div></div>"""
    return page("InsertErrors alarm: configuration, from template.yaml",
                "A profile write that failed (an AWS error, or five lost optimistic-locking races) is logged by "
                "enrich-function as <code>profile.write_failed</code>; the metric filter counts those lines and "
                "the alarm fires on the first one.",
                flow + details,
                "Rendered by docs/figures/render.py from template.yaml (InsertErrorsMetricFilter, "
                "InsertErrorsAlarm, AlertsTopic). Names shown for Stage=dev.")


# ------------------------------------------------------------------------------------------------ API stage
def figure_api_stage(t):
    api_logical, api = t.of_type("AWS::Serverless::Api")[0]
    p = api["Properties"]
    method = (p.get("MethodSettings") or [{}])[0]
    access = p.get("AccessLogSetting")
    cache = p.get("CacheClusterEnabled")
    usage = [logical for logical, _ in t.of_type("AWS::ApiGateway::UsagePlan")]
    auth = p.get("Auth", {})

    def state(value, on_text="On", off_text="Off"):
        return pill(on_text, "on") if value else pill(off_text, "off")

    level = method.get("LoggingLevel", "OFF")
    rows = [
        ("CloudWatch execution logs", pill("Off", "off"),
         pill(level if level != "OFF" else "Off", "on" if level in ("INFO", "ERROR") else "off"),
         f"MethodSettings LoggingLevel: {level}",
         "INFO logs errors and every request's execution steps; needs the account's API Gateway CloudWatch role"),
        ("Data trace (full request / response bodies)", pill("Off", "off"),
         state(method.get("DataTraceEnabled"), "On", "Off (on purpose)"),
         f"DataTraceEnabled: {t.show(method.get('DataTraceEnabled', False))}",
         "bodies carry customer ids and places; the seed turned it on, this product does not log bodies"),
        ("Detailed CloudWatch metrics", pill("Off", "off"), state(method.get("MetricsEnabled")),
         f"MetricsEnabled: {t.show(method.get('MetricsEnabled', False))}",
         "per-method Count, 4XXError, 5XXError, Latency, IntegrationLatency"),
        ("X-Ray tracing", pill("Off", "off"), state(p.get("TracingEnabled"), "Active", "Off"),
         f"TracingEnabled: {t.show(p.get('TracingEnabled', False))}",
         "sampled by the account's X-Ray sampling rules (see the tracing figure)"),
        ("Access logs (one JSON line per request)", pill("Off", "off"),
         state(access, "On", "Not configured"),
         "AccessLogSetting: " + (esc(t.show(access.get("DestinationArn"))) if access else "absent"),
         "format: " + (esc(access.get("Format", ""))[:120] if access else "—")),
        ("Throttling (stage default)", pill("account quota: 2,500 rps, burst 1,250 in af-south-1", "neutral"),
         pill(f"{method.get('ThrottlingRateLimit', '—')} rps, burst {method.get('ThrottlingBurstLimit', '—')}",
              "on" if method.get("ThrottlingRateLimit") else "neutral"),
         "ThrottlingRateLimit, ThrottlingBurstLimit", "per stage, all methods (ResourcePath /*)"),
        ("API keys and usage plan", pill("none", "neutral"),
         state(usage or auth.get("ApiKeyRequired"), "Required", "Not configured"),
         ("UsagePlan: " + ", ".join(usage)) if usage else "Auth.ApiKeyRequired: "
         + t.show(auth.get("ApiKeyRequired", False)), ""),
        ("Cache", pill("Off", "neutral"), state(cache, "On", "Off"),
         f"CacheClusterEnabled: {t.show(cache or False)}", "events are writes; nothing to cache"),
        ("Gateway error responses", pill("text/json default", "neutral"),
         state(p.get("GatewayResponses"), "problem+json", "default"),
         "GatewayResponses: " + ", ".join(sorted(p.get("GatewayResponses", {}))),
         "errors API Gateway answers itself (throttled, unknown route) match the API's own"),
    ]
    body = ["<table><tr><th>stage setting</th><th>new stage (API Gateway default)</th><th>this template</th>"
            "<th>template property</th><th>why</th></tr>"]
    for name, default, ours, prop, why in rows:
        body.append(f"<tr><td><b>{esc(name)}</b></td><td>{default}</td><td>{ours}</td>"
                    f"<td><code>{esc(prop) if '<' not in prop else prop}</code></td>"
                    f"<td class='small'>{why}</td></tr>")
    body.append("</table>")
    return page(f"API Gateway stage '{t.show(p['StageName'])}' of {t.show(p['Name'])}: logs, metrics and tracing",
                f"<code>{esc(api_logical)}</code> (AWS::Serverless::Api) in template.yaml, beside the settings a stage "
                "has when it is created by hand. The seed's console steps (logging from Off to Errors and Info, "
                "metrics on, tracing on) are these properties, applied by <code>sam deploy</code>.",
                "".join(body),
                "Rendered by docs/figures/render.py from template.yaml. Defaults: API Gateway documentation for a "
                "new REST API stage and the per-region account throttle (10,000 rps in most regions). Names "
                "shown for Stage=dev.")


# ------------------------------------------------------------------------------------------------ tracing
TRIGGERS = {"Api": "API Gateway", "Kinesis": "Kinesis", "DynamoDB": "DynamoDB Streams", "SQS": "SQS"}


def figure_tracing(t):
    api_logical, api = t.of_type("AWS::Serverless::Api")[0]
    rows = [(f"API stage {t.show(api['Properties']['StageName'])}", "AWS::Serverless::Api",
             pill("Active", "on") if api["Properties"].get("TracingEnabled") else pill("Off", "off"),
             "starts the trace; sampled by the X-Ray sampling rules below")]
    for logical, function in t.of_type("AWS::Serverless::Function"):
        mode = t.function_setting(logical, "Tracing") or "PassThrough"
        events = function["Properties"].get("Events", {})
        kinds = sorted({TRIGGERS.get(e["Type"], e["Type"]) for e in events.values()})
        if kinds == ["API Gateway"]:
            how = "joins the API request's trace (the stage passes its sampling decision on)"
        else:
            how = ("a new trace per invocation, i.e. per batch of records; Lambda samples these itself at "
                   "1 request/s + 5 % of the rest, which sampling rules do not change")
            if kinds == ["SQS"]:
                how += "; linked to the producers' traces where messages carry a trace header"
        rows.append((t.name_of(logical), "invoked by " + ", ".join(kinds),
                     pill(mode, "on" if mode == "Active" else "off"), how))
    table = ["<table><tr><th>component</th><th>trigger</th><th>tracing</th><th>how its traces are sampled</th></tr>"]
    for name, trigger, mode, how in rows:
        table.append(f"<tr><td><b>{esc(name)}</b></td><td>{esc(trigger)}</td><td>{mode}</td>"
                     f"<td class='small'>{esc(how)}</td></tr>")
    table.append("</table>")
    rules = []
    for logical, resource in t.of_type("AWS::XRay::SamplingRule"):
        rule = resource["Properties"]["SamplingRule"]
        fields = "".join(f"<div class='k'>{esc(k)}</div><div><code>{esc(t.show(v))}</code></div>"
                         for k, v in rule.items())
        rules.append(f"<div class='card'><h2>Sampling rule {esc(t.show(rule['RuleName']))} "
                     f"<span class='muted small'>({esc(logical)})</span></h2><div class='body'>"
                     f"<div class='kv4'>{fields}</div><p style='margin:10px 0 0 0'>Effect: every request the API "
                     f"stage receives is traced (the first {esc(rule.get('ReservoirSize'))} a second from the "
                     f"reservoir, then {float(rule['FixedRate']):.0%} of the rest). Function invocations that "
                     "do not come from the API are sampled by Lambda, not by this rule.</p></div></div>")
    coverage = next((r for r in alarm_rows(t) if r["logical"] == "TraceCoverageAlarm"), None)
    alarm = ""
    if coverage:
        alarm = (f"<div class='card'><h2>Coverage alarm {esc(coverage['name'])}</h2><div class='body'>"
                 f"{coverage['condition']}<br>alarm when <b>{esc(coverage['threshold'])}</b> in "
                 f"{esc(coverage['window'])}; missing data: {esc(coverage['missing'])}</div></div>")
    return page("X-Ray tracing: what is traced and how it is sampled, from template.yaml",
                "Active tracing on the API stage and on every function (Globals.Function.Tracing). The eventId and "
                "the API request's trace id travel in every stream record, so one event can be followed across "
                "functions whose invocations are traced separately.",
                "".join(table) + "<div style='height:14px'></div>" + "".join(rules) + alarm,
                "Rendered by docs/figures/render.py from template.yaml. Lambda's own sampling rate: AWS Lambda "
                "Developer Guide, 'Visualize Lambda function invocations using AWS X-Ray'.")


# ------------------------------------------------------------------------------------------------ dashboard
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


def dashboard_rows(metrics):
    """Expands CloudWatch's "." shorthand: a "." repeats the previous row's value at that position."""
    previous = []
    for row in metrics:
        if isinstance(row[0], dict):
            yield row[0], None, []
            continue
        options = row[-1] if isinstance(row[-1], dict) else {}
        values = [v for v in row if not isinstance(v, dict)]
        values = [previous[i] if v == "." and i < len(previous) else v for i, v in enumerate(values)]
        previous = values
        dims = [(values[i], values[i + 1]) for i in range(2, len(values) - 1, 2)]
        yield options, (values[0], values[1]), dims


def widget_html(widget, totals, index):
    props = widget["properties"]
    style = (f"grid-column: {widget['x'] + 1} / span {widget['width']}; "
             f"grid-row: {widget['y'] + 1} / span {widget['height']};")
    title = esc(display_sub(props.get("title", "")))
    if widget["type"] == "alarm":
        names = [display_sub(a).rsplit(":alarm:", 1)[-1] for a in props.get("alarms", [])]
        items = "".join(f"<div class='alarm'><span class='dot'></span>{esc(n)}</div>" for n in names)
        return (f"<div class='widget' style='{style}'><div class='wt'>{title} "
                f"<span class='muted small'>· alarm status, {len(names)} alarms</span></div>"
                f"<div class='alarms'>{items}</div></div>")
    head = " · ".join(x for x in (props.get("view"), ("stat " + props["stat"]) if props.get("stat") else None,
                                  f"period {props.get('period')} s" if props.get("period") else None) if x)
    lines = []
    colour = 0
    for options, metric, dims in dashboard_rows(props.get("metrics", [])):
        if metric is None:
            lines.append(f"<div class='m expr'><span class='sw' style='background:{PALETTE[colour % 8]}'></span>"
                         f"<b>{esc(options.get('label', options.get('id', 'expression')))}</b> = "
                         f"<code>{esc(options['expression'])}</code></div>")
            colour += 1
            continue
        namespace, name = metric
        dim_text = ", ".join(f"{k}={display_sub(str(v))}" for k, v in dims)
        stat = options.get("stat", props.get("stat", ""))
        hidden = options.get("visible") is False
        swatch = "" if hidden else f"<span class='sw' style='background:{PALETTE[colour % 8]}'></span>"
        colour += 0 if hidden else 1
        label = options.get("label")
        local = ""
        if totals is not None and namespace == "Personalisation":
            key = (namespace, name, tuple(sorted((k, display_sub(str(v))) for k, v in dims)))
            if key in totals:
                local = f"<span class='local'>local run: {totals[key]:g}</span>"
            else:
                local = "<span class='local none'>not in this run</span>"
        id_text = f"<code>{esc(options['id'])}</code> = " if options.get("id") else ""
        lines.append(f"<div class='m{' hidden' if hidden else ''}'>{swatch}{id_text}<span class='ns'>"
                     f"{esc(namespace)}</span> <b>{esc(name)}</b>"
                     + (f" <span class='muted'>“{esc(label)}”</span>" if label else "")
                     + f" <span class='dims'>{esc(dim_text)}</span> <span class='stat'>{esc(stat)}</span>"
                     + (" <span class='muted small'>(input, not drawn)</span>" if hidden else "") + local + "</div>")
    notes = ""
    for annotation in props.get("annotations", {}).get("horizontal", []):
        notes += (f"<div class='ann'>— — {esc(annotation.get('label', ''))} "
                  f"(horizontal line at {esc(annotation.get('value'))})</div>")
    return (f"<div class='widget' style='{style}'><div class='wt'><span class='n'>{index}</span>{title}</div>"
            f"<div class='wh'>{esc(head)}</div>{''.join(lines)}{notes}</div>")


DASHBOARD_CSS = """
.grid { display: grid; grid-template-columns: repeat(24, 1fr); grid-auto-rows: minmax(26px, auto); gap: 8px;
        background: #f2f3f3; padding: 8px; border: 1px solid #d5dbdb; border-radius: 6px; }
.widget { background: #ffffff; border: 1px solid #d5dbdb; border-radius: 4px; padding: 9px 11px;
          font-size: 12.5px; overflow: hidden; }
.wt { font-weight: bold; font-size: 14px; margin-bottom: 3px; }
.wt .n { display: inline-block; min-width: 20px; height: 20px; border-radius: 10px; background: #232f3e;
         color: #fff; font-size: 11px; text-align: center; line-height: 20px; margin-right: 7px; }
.wh { color: #687078; font-size: 11.5px; margin-bottom: 6px; }
.m { margin: 3px 0; line-height: 1.35; }
.m.hidden { color: #687078; }
.sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px;
      vertical-align: -1px; }
.ns { color: #687078; font-size: 11.5px; }
.dims { color: #0b5394; font-size: 11.5px; }
.stat { color: #687078; font-size: 11.5px; font-style: italic; }
.ann { color: #b0301d; font-size: 11.5px; margin-top: 4px; }
.local { margin-left: 6px; font-size: 11px; font-weight: bold; color: #1d8102; background: #e9f6ec;
         border-radius: 8px; padding: 0 6px; }
.local.none { color: #b0301d; background: #fdf0ef; }
.alarms { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px 18px; }
.alarm { font-size: 12.5px; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 5px; background: #aab7b8;
       margin-right: 6px; }
"""


def figure_dashboard(totals, emf_lines, log_name):
    board = json.loads(DASHBOARD.read_text())
    widgets = sorted(board["widgets"], key=lambda w: (w["y"], w["x"]))
    cells = "".join(widget_html(w, totals, i + 1) for i, w in enumerate(widgets))
    subtitle = (f"{len(widgets)} widgets on a 24-column grid, as laid out in cloudwatch/dashboard.json "
                f"(time range {esc(board.get('start', 'default'))}); each lists the metrics it draws. ")
    if totals is not None:
        subtitle += (f"Each Personalisation metric is annotated with its total over the {emf_lines} EMF lines of "
                     f"<code>{esc(log_name)}</code> from a local run; AWS/* metrics are published by the platform "
                     "(locally by the runtime, in memory) and are not in that log.")
    else:
        subtitle += "Deployed, the dashboard is named personalisation-&lt;stage&gt;."
    title = "CloudWatch dashboard personalisation-dev" + (": metrics seen in a local run" if totals else "")
    return page(title, subtitle, f"<style>{DASHBOARD_CSS}</style><div class='grid'>{cells}</div>",
                "Rendered by docs/figures/render.py from cloudwatch/dashboard.json (template.yaml's "
                "OperationsDashboard holds the same body). Names shown for Stage=dev in af-south-1.")


def figure_metrics(t, totals, emf_lines, log_name):
    """The Personalisation metrics the dashboard and alarms use, and what a local run emitted."""
    used = {}
    board = json.loads(DASHBOARD.read_text())
    for widget in board["widgets"]:
        for options, metric, dims in dashboard_rows(widget["properties"].get("metrics", [])):
            if metric and metric[0] == "Personalisation":
                key = (metric[1], tuple(sorted((k, display_sub(str(v))) for k, v in dims)))
                used.setdefault(key, []).append("dashboard: " + widget["properties"].get("title", ""))
    for r in alarm_rows(t):
        p = r["props"]
        stats = [q["MetricStat"]["Metric"] for q in p.get("Metrics", []) if "MetricStat" in q] or [p]
        for m in stats:
            if m.get("Namespace") == "Personalisation":
                key = (m["MetricName"], tuple(sorted((d["Name"], t.show(d["Value"]))
                                                     for d in m.get("Dimensions", []))))
                used.setdefault(key, []).append("alarm: " + r["name"])
    for logical, f in t.of_type("AWS::Logs::MetricFilter"):
        for transformation in f["Properties"]["MetricTransformations"]:
            if transformation["MetricNamespace"] == "Personalisation":
                key = (transformation["MetricName"], ())
                used.setdefault(key, []).append("metric filter: " + logical)
    seen = {}
    if totals is not None:
        for (namespace, name, dims), value in totals.items():
            if namespace == "Personalisation":
                seen[(name, dims)] = value
    keys = sorted(set(used) | set(seen), key=lambda k: (dict(k[1]).get("Service", "~"), k[0], k[1]))
    body = ["<table><tr><th>service</th><th>metric</th><th>other dimensions</th>"
            + ("<th>local run total</th>" if totals is not None else "") + "<th>used by</th></tr>"]
    for key in keys:
        name, dims = key
        d = dict(dims)
        service = d.pop("Service", "— (metric filter)")
        other = ", ".join(f"{k}={v}" for k, v in d.items())
        if totals is not None:
            if key in seen:
                local = f"<td><b>{seen[key]:g}</b></td>"
            elif any(u.startswith("metric filter") for u in used.get(key, [])):
                local = "<td class='muted small'>from log lines, not EMF</td>"
            else:
                local = f"<td>{pill('not in this run', 'off')}</td>"
        else:
            local = ""
        users = "<br>".join(esc(u) for u in sorted(set(used.get(key, [])))) or \
            "<span class='muted'>emitted, not on the dashboard or an alarm</span>"
        body.append(f"<tr><td>{esc(service)}</td><td><b>{esc(name)}</b></td><td>{esc(other)}</td>{local}"
                    f"<td class='small'>{users}</td></tr>")
    body.append("</table>")
    subtitle = ("Namespace Personalisation: EMF lines written by the functions (one per invocation) and the "
                "InsertErrors metric filter. ")
    if totals is not None:
        subtitle += (f"Totals over the {emf_lines} EMF lines of <code>{esc(log_name)}</code> from a local run; "
                     "a metric the dashboard or an alarm uses that the run did not emit is flagged. Failure "
                     "counters (WriteFailed, Invalid, ...) are written only when something failed, so their "
                     "absence is expected; Requests is written for every request.")
    return page("Custom metrics: what the functions emit and what watches it", subtitle, "".join(body),
                "Rendered by docs/figures/render.py from cloudwatch/dashboard.json, template.yaml"
                + (" and a local functions.log" if totals is not None else "") + ".")


# ------------------------------------------------------------------------------------------------ architecture
def check_architecture(t):
    svg = (FIGURES / "architecture.svg").read_text()
    drawn = set()
    for ids in re.findall(r'data-resource="([^"]+)"', svg):
        drawn.update(ids.split())
    unknown = sorted(drawn - set(t.resources))
    if unknown:
        sys.exit("render.py: architecture.svg names resources template.yaml does not have: " + ", ".join(unknown))
    for resource_type, count in re.findall(r'data-count="([^=]+)=(\d+)"', svg):
        actual = len(t.of_type(resource_type))
        if actual != int(count):
            sys.exit(f"render.py: architecture.svg says {count} × {resource_type}, template.yaml has {actual}; "
                     "update the drawing")
    left_out = sorted(set(t.resources) - drawn)
    if left_out:
        print("architecture.svg does not draw: " + ", ".join(left_out))
    return svg


# ------------------------------------------------------------------------------------------------ rendering
def chromium():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.path.exists(candidate):
            return candidate
    sys.exit("render.py: Chromium is needed (Debian: apt-get update && apt-get install -y chromium)")


def run_chromium(extra, url, height):
    with tempfile.TemporaryDirectory(prefix="render-chromium-") as profile:
        return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                               f"--window-size={WIDTH},{height}", *extra, url],
                              capture_output=True, text=True, timeout=300, check=False)


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"render.py: {path} is not a PNG")
    return struct.unpack(">II", header[16:24])


def screenshot(source, png, height=None):
    url = source.resolve().as_uri()
    if height is None:
        dom = run_chromium(["--dump-dom"], url, 900)
        match = re.search(r'data-height="(\d+)"', dom.stdout)
        if not match:
            raise SystemExit(f"render.py: could not measure {source}: {dom.stderr[-500:]}")
        height = int(match.group(1)) + 2
    png.unlink(missing_ok=True)
    shot = run_chromium([f"--screenshot={png}"], url, height)
    if not png.exists():
        raise SystemExit(f"render.py: Chromium wrote no {png.name}: {shot.stderr[-500:]}")
    width, actual = png_size(png)
    print(f"{png.relative_to(ROOT)}: {width}×{actual}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--emf-log", help="a local functions.log whose EMF lines annotate metrics and dashboard")
    parser.add_argument("--only", nargs="*", help="render only these figures (file names without .png)")
    parser.add_argument("--keep-html", help="write the generated HTML pages here instead of a temporary folder")
    args = parser.parse_args()

    t = Template(TEMPLATE)
    totals, emf_lines, log_name = None, 0, None
    if args.emf_log:
        totals, emf_lines = emf_totals(args.emf_log)
        log_name = os.path.relpath(args.emf_log, ROOT) if os.path.isabs(args.emf_log) else args.emf_log
        if not emf_lines:
            sys.exit(f"render.py: {args.emf_log} holds no EMF lines")

    pages = {
        "alarms": lambda: figure_alarms(t),
        "insert-errors-alarm": lambda: figure_insert_errors(t),
        "api-stage": lambda: figure_api_stage(t),
        "tracing": lambda: figure_tracing(t),
        "dashboard": lambda: figure_dashboard(None, 0, None),
    }
    if totals is not None:
        pages["metrics"] = lambda: figure_metrics(t, totals, emf_lines, log_name)
        pages["dashboard-local"] = lambda: figure_dashboard(totals, emf_lines, log_name)
    wanted = set(args.only) if args.only else set(pages) | {"architecture"}

    check_architecture(t)
    if "architecture" in wanted:
        screenshot(FIGURES / "architecture.svg", FIGURES / "architecture.png", height=1000)
    work = pathlib.Path(args.keep_html) if args.keep_html else pathlib.Path(tempfile.mkdtemp(prefix="figures-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for name, build in pages.items():
            if name not in wanted:
                continue
            source = work / f"{name}.html"
            source.write_text(build(), encoding="utf-8")
            screenshot(source, FIGURES / f"{name}.png")
    finally:
        if not args.keep_html:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
