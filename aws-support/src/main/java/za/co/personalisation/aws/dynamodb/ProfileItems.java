package za.co.personalisation.aws.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

/**
 * The {@code profiles} table's item layout, in one place for the writer (enrich-function), the readers
 * (notify-function's stream images, deliver-function's consent check) and the local runtime's seeding.
 *
 * <pre>
 * customerId S | version N | updatedAt S | locationAt S | locationEventId S
 * location M{key S, name S, known BOOL}
 * interests M{&lt;interest&gt; M{score N, count N, firstSeen S, lastSeen S, lastEventId S, lastEventReplay BOOL,
 *     lastTraceId S}}
 * consent M{sms|email M{state S, at S, receivedAt S}}   (at: the client's occurredAt; receivedAt: the API's
 *                                                 receive time, which orders decisions; absent in older items)
 * appliedEvents B   (the applied event ids, each with its key time (occurredAt, or receivedAt when that is
 *     earlier) and receivedAt, in (key time, eventId) order, packed: {@link AppliedEventsPacking})
 * appliedHorizon M{at S, eventId S, receivedAt S}  (only once events have been forgotten; receivedAt: the latest
 *     receipt of a forgotten event)
 * </pre>
 *
 * <p>Older items are still read and rewritten in this layout on their next change: items written before the window
 * was packed hold it as three lists side by side ({@code appliedEventIds L<S>}, {@code appliedEventTimes L<N>},
 * {@code appliedEventReceived L<N>}); before those, {@code recentEventIds L<S>} (ids without a time,
 * {@link AppliedEvents#legacy}).
 * A missing {@code locationEventId} reads as {@code ""}. Items without {@code appliedEventReceived} (written before
 * receipts were kept) read each entry, and the horizon, as received {@link AppliedEvents#UNKNOWN_RECEIPT_SLACK}
 * after its key, the latest it can have been, which keeps the refusal of forgotten events sound.
 */
public final class ProfileItems {

    public static final String KEY = "customerId";
    public static final String VERSION = "version";
    /** The window of applied events, packed ({@link AppliedEventsPacking}). */
    public static final String APPLIED_EVENTS = "appliedEvents";
    /** How far ahead of its receipt ingest let a client date a decision when consent was ordered by occurredAt. */
    static final Duration LEGACY_FUTURE_SKEW = Duration.ofMinutes(5);

    private ProfileItems() {
    }

    /** The key of a customer's profile item. */
    public static Map<String, AttributeValue> key(String customerId) {
        return Map.of(KEY, s(customerId));
    }

    /**
     * A customer's profile item, read strongly consistent (a decision to send must see the latest consent);
     * {@code null} when there is none (never written, or erased). Map it with {@link #fromItem}.
     */
    public static Map<String, AttributeValue> get(DynamoDbClient dynamoDb, String table, String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(customerId))
            .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /**
     * Only the consent of a profile item, by channel, for readers that need nothing else; a channel whose entry
     * does not fit the layout is left out.
     */
    public static Map<Channel, Consent> consentOf(Map<String, AttributeValue> item) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        map(item, "consent").forEach((channel, value) -> {
            try {
                consent.put(Channel.fromWire(channel), consent(value.m()));
            } catch (RuntimeException e) {
                // left out: the profile's own reader reports it
            }
        });
        return consent;
    }

    public static Map<String, AttributeValue> toItem(Profile profile) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(profile.customerId()));
        item.put(VERSION, n(Long.toString(profile.version())));
        item.put("updatedAt", s(profile.updatedAt().toString()));
        item.put("locationAt", s(profile.locationAt().toString()));
        item.put("locationEventId", s(profile.locationEventId()));
        if (profile.location() != null) {
            item.put("location", m(Map.of(
                "key", s(profile.location().key()),
                "name", s(profile.location().name()),
                "known", AttributeValue.fromBool(profile.location().known()))));
        }
        Map<String, AttributeValue> interests = new HashMap<>();
        profile.interests().forEach((interest, stat) -> interests.put(interest, m(Map.of(
            "score", n(Double.toString(stat.score())),
            "count", n(Long.toString(stat.count())),
            "firstSeen", s(stat.firstSeen().toString()),
            "lastSeen", s(stat.lastSeen().toString()),
            "lastEventId", s(stat.lastEventId()),
            "lastEventReplay", AttributeValue.fromBool(stat.lastEventReplay()),
            "lastTraceId", s(stat.lastTraceId())))));
        item.put("interests", m(interests));
        Map<String, AttributeValue> consent = new HashMap<>();
        profile.consent().forEach((channel, value) -> consent.put(channel.wireName(), m(Map.of(
            "state", s(value.state().wireName()),
            "at", s(value.at().toString()),
            "receivedAt", s(value.receivedAt().toString())))));
        item.put("consent", m(consent));
        AppliedEvents applied = profile.applied();
        item.put(APPLIED_EVENTS, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(
            AppliedEventsPacking.pack(applied))));
        if (applied.horizonAt() != null) {
            item.put("appliedHorizon", m(Map.of(
                "at", s(applied.horizonAt().toString()),
                "eventId", s(applied.horizonEventId()),
                "receivedAt", s(applied.horizonReceivedAt().toString()))));
        }
        return item;
    }

    /** @throws IllegalArgumentException naming the attribute that does not fit the layout */
    public static Profile fromItem(Map<String, AttributeValue> item) {
        String customerId = string(item, KEY);
        try {
            Map<String, InterestStat> interests = new HashMap<>();
            map(item, "interests").forEach((interest, value) -> {
                Map<String, AttributeValue> stat = value.m();
                interests.put(interest, new InterestStat(
                    Double.parseDouble(string(stat, "score", true)),
                    Long.parseLong(string(stat, "count", true)),
                    Instant.parse(string(stat, "firstSeen")),
                    Instant.parse(string(stat, "lastSeen")),
                    string(stat, "lastEventId"),
                    stat.containsKey("lastEventReplay") && Boolean.TRUE.equals(stat.get("lastEventReplay").bool()),
                    stat.containsKey("lastTraceId") && stat.get("lastTraceId").s() != null
                        ? stat.get("lastTraceId").s() : ""));
            });
            Location location = null;
            AttributeValue place = item.get("location");
            if (place != null && place.hasM()) {
                Map<String, AttributeValue> fields = place.m();
                boolean known = Boolean.TRUE.equals(fields.getOrDefault("known", AttributeValue.fromBool(false))
                    .bool());
                location = known ? new Location(string(fields, "key"), string(fields, "name"), true)
                    : Location.unknown(string(fields, "name"));
            }
            Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
            map(item, "consent").forEach((channel, value) -> consent.put(Channel.fromWire(channel),
                consent(value.m())));
            AttributeValue version = item.get(VERSION);
            AttributeValue locationEventId = item.get("locationEventId");
            return new Profile(customerId, version == null ? 0 : Long.parseLong(version.n()), interests, location,
                instant(item, "locationAt"), locationEventId == null || locationEventId.s() == null ? ""
                    : locationEventId.s(), consent, applied(item), instant(item, "updatedAt"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("profile " + customerId + " does not fit the item layout: "
                + e.getMessage(), e);
        }
    }

    /**
     * A channel's consent. Items written before decisions were ordered by the API's receive time hold only
     * {@code at} (the client's occurredAt, which may lie up to {@link #LEGACY_FUTURE_SKEW} after the receipt): a
     * grant is read as received that much earlier, so that no revocation the API received after it can lose to it;
     * a revocation as received at {@code at}.
     */
    private static Consent consent(Map<String, AttributeValue> value) {
        Consent.State state = Consent.State.fromWire(string(value, "state"));
        Instant at = Instant.parse(string(value, "at"));
        AttributeValue receivedAt = value.get("receivedAt");
        if (receivedAt != null && receivedAt.s() != null) {
            return new Consent(state, at, Instant.parse(receivedAt.s()));
        }
        return new Consent(state, at, state == Consent.State.GRANTED ? at.minus(LEGACY_FUTURE_SKEW) : at);
    }

    /**
     * The ids of the events a profile item (or a stream image of one) remembers as applied, in whichever layout
     * it was written; empty when it holds none.
     *
     * @throws IllegalArgumentException when the window does not fit its layout
     */
    public static List<String> appliedEventIds(Map<String, AttributeValue> item) {
        AppliedEvents applied;
        try {
            applied = applied(item);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the applied events do not fit the item layout: " + e.getMessage(), e);
        }
        List<String> ids = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            ids.add(applied.eventIdAt(i));
        }
        return ids;
    }

    private static AppliedEvents applied(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> horizon = map(item, "appliedHorizon");
        Instant horizonAt = horizon.isEmpty() ? null : Instant.parse(string(horizon, "at"));
        String horizonEventId = horizon.isEmpty() ? "" : string(horizon, "eventId");
        AttributeValue horizonReceived = horizon.get("receivedAt");
        Instant horizonReceivedAt = horizonReceived == null || horizonReceived.s() == null ? null
            : Instant.parse(horizonReceived.s());
        AttributeValue packed = item.get(APPLIED_EVENTS);
        if (packed != null && packed.b() != null) {
            AppliedEventsPacking.Window window = AppliedEventsPacking.unpack(packed.b().asByteArrayUnsafe());
            return AppliedEvents.of(window.eventIds(), window.keyMillis(), window.receivedMillis(), horizonAt,
                horizonEventId, horizonReceivedAt);
        }
        AttributeValue ids = item.get("appliedEventIds");
        if (ids == null || !ids.hasL()) {
            List<String> legacy = new ArrayList<>();
            AttributeValue recent = item.get("recentEventIds");
            if (recent != null && recent.hasL()) {
                recent.l().forEach(id -> legacy.add(id.s()));
            }
            return AppliedEvents.legacy(legacy);
        }
        AttributeValue times = item.get("appliedEventTimes");
        AttributeValue received = item.get("appliedEventReceived");
        List<String> eventIds = new ArrayList<>(ids.l().size());
        List<Long> millis = new ArrayList<>(ids.l().size());
        ids.l().forEach(id -> eventIds.add(id.s()));
        if (times != null && times.hasL()) {
            times.l().forEach(time -> millis.add(Long.parseLong(time.n())));
        }
        if (received == null || !received.hasL()) {
            // written before receipts were kept: each counts as received as late as it can have been
            return AppliedEvents.of(eventIds, millis, horizonAt, horizonEventId);
        }
        List<Long> receivedMillis = new ArrayList<>(received.l().size());
        received.l().forEach(time -> receivedMillis.add(Long.parseLong(time.n())));
        return AppliedEvents.of(eventIds, millis, receivedMillis, horizonAt, horizonEventId, horizonReceivedAt);
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? Instant.EPOCH : Instant.parse(value.s());
    }

    private static Map<String, AttributeValue> map(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasM() ? Map.of() : value.m();
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        return string(item, name, false);
    }

    private static String string(Map<String, AttributeValue> item, String name, boolean number) {
        AttributeValue value = item.get(name);
        String text = value == null ? null : number ? value.n() : value.s();
        if (text == null) {
            throw new IllegalArgumentException("attribute '" + name + "' is missing or of the wrong type");
        }
        return text;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    static AttributeValue m(Map<String, AttributeValue> value) {
        return AttributeValue.fromM(value);
    }
}
