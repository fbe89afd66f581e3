#!/usr/bin/env python3
"""Copies the monitoring sources in cloudwatch/ into template.yaml's generated block.

template.yaml must deploy with plain `sam deploy`, so it holds the alarms, metric filters, dashboard and Logs
Insights queries itself; cloudwatch/ is where they are written and reviewed. Run this after editing cloudwatch/;
the infra-checks test CloudWatchSourcesTest fails whenever the two differ.

    python3 cloudwatch/sync-template.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "  # >>> cloudwatch: generated from cloudwatch/ by cloudwatch/sync-template.py; edit there, not here"
END = "  # <<< cloudwatch"
FUNCTIONS = ["Ingest", "Enrich", "Notify", "Deliver", "Feedback"]


def indent(text, spaces):
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.rstrip("\n").split("\n"))


def block():
    cw = ROOT / "cloudwatch"
    alarms = "\n".join(l for l in (cw / "alarms.yaml").read_text().split("\n") if not l.startswith("#")).strip("\n")
    parts = [BEGIN, indent(alarms, 2), ""]
    dashboard = json.dumps(json.loads((cw / "dashboard.json").read_text()), indent=2)
    parts += ["  OperationsDashboard:", "    Type: AWS::CloudWatch::Dashboard", "    Properties:",
              '      DashboardName: !Sub "personalisation-${Stage}"', "      DashboardBody: !Sub |",
              indent(dashboard, 8), ""]
    for query in sorted((cw / "queries").glob("*.logsinsights")):
        name = "".join(word.capitalize() for word in query.stem.split("-"))
        parts += [f"  {name}Query:", "    Type: AWS::Logs::QueryDefinition", "    Properties:",
                  f'      Name: !Sub "personalisation-${{Stage}}/{query.stem}"', "      LogGroupNames:"]
        parts += [f"        - !Ref {fn}LogGroup" for fn in FUNCTIONS]
        parts += ["      QueryString: |", indent(query.read_text(), 8), ""]
    parts.append(END)
    return "\n".join(parts)


def main():
    template = ROOT / "template.yaml"
    text = template.read_text()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        raise SystemExit("template.yaml has no generated cloudwatch block; add the two marker lines under Resources")
    template.write_text(text[:start] + block() + text[end + len(END):])


if __name__ == "__main__":
    main()
