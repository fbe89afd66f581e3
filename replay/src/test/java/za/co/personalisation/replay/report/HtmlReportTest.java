package za.co.personalisation.replay.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void page_isSelfContained_withThreeInlineCharts_andEscapesWhatItShows() throws Exception {
        ObjectNode report = (ObjectNode) JSON.readTree("""
            {"runId":"<script>alert(1)</script>","config":{"target":"API & more","ratePerSecond":500,
             "durationSeconds":60,"events":30000},
             "verdict":{"sustained":false,"reasons":["lost <b>1</b>"],"rule":"r"},
             "throughput":{"sent":30000},
             "latencyMs":{"stages":{"enrich":{"count":3,"p50":1.5,"p90":2,"p99":3,"p99_9":3,"max":3,"mean":2}},
               "endToEnd":{"enriched":{"count":3,"p50":1.5}},"senderLag":{"p99":0.1,"max":0.2},"note":"n"},
             "timeline":{"sent":[500,500,500],"accepted":[499,501,500],"applied":[0,700,800],
               "acceptedP99Ms":[3,4,null],"enrichedP50Ms":[900,950,1000],"enrichedP99Ms":[1200,1300,1400],
               "enrichedMaxMs":[1300,1500,1600]},
             "percentileCurves":{"enriched":[[0,900],[50,950],[90,1100],[99,1300],[99.9,1500]]},
             "errors":{"failedEvents":0,"byKind":{},"retriesByKind":{},"failureQueueGrowth":{},"functionErrors":{}},
             "loss":{"lost":1},"pipeline":{},
             "cost":{"prices":{"checked":false,"warning":"NOT CHECKED","file":"f","asOf":"2025-01"},
               "counted":"all","callsPerEvent":{"pipeline":{"dynamodb":2.1}},
               "perMillionEvents":[{"item":"sqs.request","unitsPerEvent":0.5,"usd":{"us-east-1":0.2,"af-south-1":null},
                 "basis":"b"}],"totalPerMillionEventsUsd":{"us-east-1":0.2,"af-south-1":0},
               "unpriced":{"us-east-1":[],"af-south-1":["sqs.request"]},
               "shardHoursPerMillionEventsUsd":{"shards":1,"atEventsPerSecond":500,"us-east-1":0.02,"af-south-1":null}},
             "machine":{"processors":2}}
            """);

        String html = HtmlReport.render(report);

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=")
            .doesNotContain("href=").doesNotContain("@import").doesNotContain("url(");
        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "API &amp; more", "lost &lt;b&gt;1");
        assertThat(html).contains("Not sustained", "NOT CHECKED", "unpriced", "<polyline");
        assertThat(html).contains("99.9%");
    }

    @Test
    void chart_withoutData_saysSo_andLinesBreakAtGaps() {
        assertThat(HtmlReport.chart("t", "x", "y", List.of(), false)).contains("no data");
        String chart = HtmlReport.chart("t", "x", "y", List.of(new HtmlReport.Series("s", new double[] {0, 1, 2, 3},
            new Double[] {1.0, 2.0, null, 4.0})), false);
        assertThat(chart).contains("<polyline").contains("<circle");
    }

    @Test
    void axes_useNiceNumbers_andPercentilesAreSpacedByNines() {
        assertThat(HtmlReport.niceCeiling(730)).isEqualTo(1000);
        assertThat(HtmlReport.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(HtmlReport.niceCeiling(2.2)).isEqualTo(2.5);
        assertThat(HtmlReport.nines(99)).isCloseTo(2.0, within(1e-9));
        assertThat(HtmlReport.nines(0)).isZero();
    }

    @Test
    void progressLine_showsBarCountsRateAndEta() {
        assertThat(Progress.line("sending", 250, 1_000, 499.6, Duration.ofSeconds(75), "errors 0"))
            .isEqualTo("sending  [#######.....................] 250/1,000  25% | 500/s | ETA 1:15 | errors 0");
        assertThat(Progress.clock(Duration.ofSeconds(3_725))).isEqualTo("1:02:05");
    }
}
