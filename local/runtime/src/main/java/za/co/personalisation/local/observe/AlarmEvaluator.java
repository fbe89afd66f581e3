package za.co.personalisation.local.observe;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates alarms against the {@link MetricStore} as CloudWatch does: the last EvaluationPeriods whole periods,
 * ALARM when at least DatapointsToAlarm of them breach, missing data treated per TreatMissingData
 * (missing, notBreaching, breaching, ignore). moto stores alarms but never evaluates them; this does.
 */
public final class AlarmEvaluator {

    /** An alarm's state and why. */
    public record State(String value, String reason, Instant since) {
    }

    private final List<AlarmDefinition> alarms;
    private final MetricStore store;
    private final Map<String, State> states = new LinkedHashMap<>();

    public AlarmEvaluator(List<AlarmDefinition> alarms, MetricStore store, Instant start) {
        this.alarms = List.copyOf(alarms);
        this.store = store;
        for (AlarmDefinition alarm : alarms) {
            states.put(alarm.name(), new State("INSUFFICIENT_DATA", "not evaluated yet", start));
        }
    }

    public List<AlarmDefinition> alarms() {
        return alarms;
    }

    /** Evaluates every alarm at {@code now}; returns the alarms whose state changed, with their new state. */
    public synchronized Map<String, State> evaluate(Instant now) {
        Map<String, State> changed = new LinkedHashMap<>();
        for (AlarmDefinition alarm : alarms) {
            State next = evaluate(alarm, now);
            State current = states.get(alarm.name());
            if (next != null && !next.value().equals(current.value())) {
                states.put(alarm.name(), next);
                changed.put(alarm.name(), next);
            }
        }
        return changed;
    }

    public synchronized Map<String, State> states() {
        return Map.copyOf(states);
    }

    private State evaluate(AlarmDefinition alarm, Instant now) {
        long periodMillis = alarm.period().toMillis();
        Instant end = Instant.ofEpochMilli(now.toEpochMilli() - now.toEpochMilli() % periodMillis);
        int breaching = 0;
        int present = 0;
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < alarm.evaluationPeriods(); i++) {
            Instant to = end.minusMillis(i * periodMillis);
            Double value = value(alarm, to.minusMillis(periodMillis), to);
            values.append(i == 0 ? "" : ", ").append(value == null ? "missing" : String.format("%.2f", value));
            if (value == null) {
                switch (alarm.treatMissingData()) {
                    case "breaching" -> breaching++;
                    case "notBreaching" -> present++;
                    default -> {
                    }
                }
                continue;
            }
            present++;
            if (alarm.breaches(value)) {
                breaching++;
            }
        }
        String reason = "last " + alarm.evaluationPeriods() + " periods: [" + values + "] vs threshold "
            + alarm.threshold();
        if (breaching >= alarm.datapointsToAlarm()) {
            return new State("ALARM", reason, now);
        }
        if (present == 0) {
            return alarm.treatMissingData().equals("ignore") ? null
                : new State("INSUFFICIENT_DATA", reason, now);
        }
        return new State("OK", reason, now);
    }

    private Double value(AlarmDefinition alarm, Instant from, Instant to) {
        Map<String, Double> values = new HashMap<>();
        for (Map.Entry<String, AlarmDefinition.Query> query : alarm.queries().entrySet()) {
            if (query.getValue().metric() != null) {
                values.put(query.getKey(), store.statistic(query.getValue().metric(), query.getValue().statistic(),
                    from, to));
            }
        }
        AlarmDefinition.Query result = alarm.queries().get(alarm.resultId());
        return result.expression() == null ? values.get(alarm.resultId())
            : MetricMath.evaluate(result.expression(), values);
    }
}
