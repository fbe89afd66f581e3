package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Profile;

/** The profile's packed window of applied events, through ProfileItems' own writer and reader. */
class AppliedEventsPackingTest {

    private static final long T0 = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
    private static final String FOUR_BYTES = new String(Character.toChars(0x1D400));

    @Test
    void everyKindOfId_andTime_comesBackExactly() {
        List<String> ids = List.of(
            "0f8fad5b-d9cb-469f-a165-70867728950e",           // canonical UUID: 16 bytes
            "0F8FAD5B-D9CB-469F-A165-70867728950E",           // upper case: kept as text, not made lower case
            "load-1a2b3c4d-e12345", "load-1a2b3c4d-e12399",   // a shared prefix
            "\u00e9x", "\u00eay",                             // the shared prefix ends inside a 2-byte character
            FOUR_BYTES.repeat(64), FOUR_BYTES.repeat(63) + "z",
            "", "0f8fad5b-d9cb-469f-a165-70867728950");       // empty; one character short of a UUID
        List<Long> keys = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            keys.add(i == 0 ? -86_400_000L : i == 1 ? 0L : T0 + i * 997L);  // before 1970 and at it (legacy entries)
            received.add(i % 2 == 0 ? keys.get(i) : keys.get(i) + 300_000L);
        }
        AppliedEvents applied = AppliedEvents.of(ids, keys, received, Instant.ofEpochMilli(-86_400_001L), "gone",
            Instant.ofEpochMilli(T0));

        Map<String, AttributeValue> item = ProfileItems.toItem(profile(applied));

        assertThat(ProfileItems.fromItem(item).applied()).isEqualTo(applied);
        assertThat(ProfileItems.appliedEventIds(item)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(item).doesNotContainKeys("appliedEventIds", "appliedEventTimes", "appliedEventReceived");
        for (int i = 0; i < applied.size(); i++) {
            int original = ids.indexOf(applied.eventIdAt(i));
            assertThat(applied.occurredAtMillisAt(i)).isEqualTo(keys.get(original));
            assertThat(applied.receivedMillisAt(i)).isEqualTo(received.get(original));
        }
    }

    @Test
    void randomWindows_comeBackExactly() {
        Random random = new Random(20261207);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(201);
            List<String> ids = new ArrayList<>();
            List<Long> keys = new ArrayList<>();
            List<Long> received = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(switch (random.nextInt(4)) {
                    case 0 -> new UUID(random.nextLong(), random.nextLong()).toString();
                    case 1 -> "load-1a2b3c4d-e" + (i * 7 + random.nextInt(7));
                    case 2 -> FOUR_BYTES.repeat(random.nextInt(60)) + i;
                    default -> Long.toString(random.nextLong(), 36);
                });
                long key = random.nextInt(10) == 0 ? 0L : T0 + random.nextLong(-1_000_000_000L, 1_000_000_000L);
                keys.add(key);
                received.add(key + random.nextLong(0, 700_000_000L));
            }
            AppliedEvents applied = AppliedEvents.of(ids, keys, received, null, "", null);

            assertThat(ProfileItems.fromItem(ProfileItems.toItem(profile(applied))).applied()).isEqualTo(applied);
        }
    }

    @Test
    void aFullWindowOfUuids_isLessThanHalfTheSizeOfTheListLayout() {
        List<String> ids = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        Random random = new Random(7);
        long key = T0;
        for (int i = 0; i < 200; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
            key += random.nextInt(3_600_000);
            keys.add(key);
        }
        AppliedEvents applied = AppliedEvents.of(ids, keys, keys, null, "", null);

        long packed = ItemSize.of(Map.of(ProfileItems.APPLIED_EVENTS, ProfileItems.toItem(profile(applied))
            .get(ProfileItems.APPLIED_EVENTS)));
        long lists = ItemSize.of(listLayout(applied));

        // 36-character ids and two 13-digit numbers an entry as lists; 16 bytes and two short varints packed
        assertThat(packed).isLessThan(lists * 45 / 100);
        assertThat(packed).isBetween(200L * 18, 200L * 24);
    }

    @Test
    void theListLayout_isStillRead_asTheSameWindow() {
        AppliedEvents applied = AppliedEvents.of(List.of("e-1", "e-2"), List.of(T0, T0 + 5),
            List.of(T0 + 10, T0 + 5), Instant.ofEpochMilli(T0 - 1), "e-0", Instant.ofEpochMilli(T0 + 3));
        Map<String, AttributeValue> item = new HashMap<>(ProfileItems.toItem(profile(applied)));
        item.remove(ProfileItems.APPLIED_EVENTS);
        item.putAll(listLayout(applied));

        assertThat(ProfileItems.fromItem(item).applied()).isEqualTo(applied);
        assertThat(ProfileItems.appliedEventIds(item)).containsExactly("e-1", "e-2");
    }

    @Test
    void aDamagedWindow_isRefusedNamingTheAttribute_withoutEchoingItsBytes() {
        byte[] good = ProfileItems.toItem(profile(AppliedEvents.of(List.of("secret-event-id"), List.of(T0),
            List.of(T0), null, "", null))).get(ProfileItems.APPLIED_EVENTS).b().asByteArray();
        byte[] trailing = new byte[good.length + 1];
        System.arraycopy(good, 0, trailing, 0, good.length);
        byte[] badUtf8 = good.clone();
        badUtf8[5] = (byte) 0xFF;                       // the id's first byte (after format, count, kind, lengths)
        List<byte[]> damaged = List.of(
            new byte[0],                                  // nothing
            new byte[] {2, 0},                            // an unknown format
            new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},  // claims 268 million entries
            new byte[] {1, 1, 9, 0, 0, 0, 0},             // an unknown kind of id
            new byte[] {1, 1, 1, 5, 0, 0, 0},             // shares 5 bytes with no previous id
            Arrays.copyOf(good, good.length - 1),  // cut short
            trailing,                                     // a byte left over
            badUtf8,
            new byte[] {1, 1, 1, 0, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0},  // a number longer than 10 bytes
            new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 0x01},  // a count of 2^64 - 1, negative as a long
            new byte[] {1, 1, 1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 0, 0});  // an id's length of 2^64 - 1

        for (byte[] bytes : damaged) {
            Map<String, AttributeValue> item = new HashMap<>(ProfileItems.toItem(profile(AppliedEvents.NONE)));
            item.put(ProfileItems.APPLIED_EVENTS, AttributeValue.fromB(SdkBytes.fromByteArray(bytes)));

            assertThatThrownBy(() -> ProfileItems.fromItem(item))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profile c-1 does not fit the item layout")
                .hasMessageContaining("'appliedEvents'")
                .hasMessageNotContaining("secret");
            assertThatThrownBy(() -> ProfileItems.appliedEventIds(item)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void onlyCanonicalLowerCaseUuids_arePackedAsSixteenBytes() {
        assertThat(AppliedEventsPacking.uuidBytes("0f8fad5b-d9cb-469f-a165-70867728950e")).hasSize(16);
        assertThat(AppliedEventsPacking.uuidBytes("0F8FAD5B-d9cb-469f-a165-70867728950e")).isNull();
        assertThat(AppliedEventsPacking.uuidBytes("0f8fad5bd-9cb-469f-a165-70867728950e")).isNull();
        assertThat(AppliedEventsPacking.uuidBytes("0f8fad5b-d9cb-469f-a165-70867728950g")).isNull();
        assertThat(AppliedEventsPacking.uuidBytes("0f8fad5b-d9cb-469f-a165-70867728950")).isNull();
    }

    private static Profile profile(AppliedEvents applied) {
        Instant at = Instant.ofEpochMilli(T0);
        return new Profile("c-1", 3, Map.of(), null, at, "", Map.of(), applied, at);
    }

    /** The window as items held it before it was packed: three lists side by side, in key order. */
    private static Map<String, AttributeValue> listLayout(AppliedEvents applied) {
        List<AttributeValue> ids = new ArrayList<>();
        List<AttributeValue> times = new ArrayList<>();
        List<AttributeValue> received = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            ids.add(AttributeValue.fromS(applied.eventIdAt(i)));
            times.add(AttributeValue.fromN(Long.toString(applied.occurredAtMillisAt(i))));
            received.add(AttributeValue.fromN(Long.toString(applied.receivedMillisAt(i))));
        }
        return Map.of("appliedEventIds", AttributeValue.fromL(ids), "appliedEventTimes", AttributeValue.fromL(times),
            "appliedEventReceived", AttributeValue.fromL(received));
    }
}
