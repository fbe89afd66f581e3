package za.co.personalisation.aws.dynamodb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import za.co.personalisation.core.profile.AppliedEvents;

/**
 * The profile's window of applied events packed into one binary attribute ({@code appliedEvents B}), instead of
 * three lists of strings and numbers. An established profile remembers 200 events, and the window was most of its
 * size: about 55 bytes an entry as lists (a 36-character id, two 13-digit numbers, list overhead), 20 to 24 as
 * packed here. DynamoDB bills a write by the whole item's size, so this is what every profile write costs.
 *
 * <pre>
 * byte    format (1)
 * varint  n, the number of entries; then n times, in (key time, eventId) order:
 *   byte    0: the id is a canonical lower-case UUID, its 16 bytes follow
 *           1: the id as UTF-8, sharing a prefix with the previous entry's id: varint shared, varint length,
 *              that many bytes (the id is the previous id's first shared bytes, then these)
 *   varint  zig-zag(key time - the previous entry's key time) in epoch milliseconds (the first: from 0)
 *   varint  zig-zag(receivedAt - key time) in milliseconds
 * </pre>
 *
 * <p>Reading is strict: an unknown format or kind, a length past the end, bytes left over or an id that is not
 * UTF-8 is an {@link IllegalArgumentException} naming what does not fit (never the bytes themselves).
 */
final class AppliedEventsPacking {

    static final byte FORMAT = 1;
    private static final int UUID_ID = 0;
    private static final int TEXT_ID = 1;
    /** The least an entry takes: a kind, an empty suffix's two lengths and two one-byte varints. */
    private static final int MIN_ENTRY_BYTES = 5;

    /** The unpacked window: ids, key times and receipts in epoch milliseconds, side by side in key order. */
    record Window(List<String> eventIds, List<Long> keyMillis, List<Long> receivedMillis) {
    }

    private AppliedEventsPacking() {
    }

    static byte[] pack(AppliedEvents applied) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + applied.size() * 24);
        out.write(FORMAT);
        varint(out, applied.size());
        byte[] previous = new byte[0];
        long previousKey = 0;
        for (int i = 0; i < applied.size(); i++) {
            String id = applied.eventIdAt(i);
            byte[] text = id.getBytes(StandardCharsets.UTF_8);
            byte[] uuid = uuidBytes(id);
            if (uuid != null) {
                out.write(UUID_ID);
                out.writeBytes(uuid);
            } else {
                int shared = 0;
                int most = Math.min(previous.length, text.length);
                while (shared < most && previous[shared] == text[shared]) {
                    shared++;
                }
                out.write(TEXT_ID);
                varint(out, shared);
                varint(out, text.length - shared);
                out.write(text, shared, text.length - shared);
            }
            long key = applied.occurredAtMillisAt(i);
            varint(out, zigzag(key - previousKey));
            varint(out, zigzag(applied.receivedMillisAt(i) - key));
            previous = text;
            previousKey = key;
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException naming what does not fit the packing */
    static Window unpack(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (!in.hasRemaining() || in.get() != FORMAT) {
            throw new IllegalArgumentException("attribute 'appliedEvents' is not of format " + FORMAT);
        }
        int n = readLength(in);
        if (n > in.remaining() / MIN_ENTRY_BYTES) {
            throw new IllegalArgumentException("attribute 'appliedEvents' claims " + n + " entries in "
                + bytes.length + " bytes");
        }
        List<String> ids = new ArrayList<>(n);
        List<Long> keys = new ArrayList<>(n);
        List<Long> received = new ArrayList<>(n);
        byte[] previous = new byte[0];
        long previousKey = 0;
        for (int i = 0; i < n; i++) {
            int kind = next(in);
            byte[] text;
            if (kind == UUID_ID) {
                text = uuidText(take(in, 16)).getBytes(StandardCharsets.US_ASCII);
            } else if (kind == TEXT_ID) {
                int shared = readLength(in);
                int length = readLength(in);
                if (shared > previous.length) {
                    throw new IllegalArgumentException("attribute 'appliedEvents' entry " + i
                        + " shares more than the previous id holds");
                }
                byte[] suffix = take(in, length);
                text = Arrays.copyOf(previous, shared + suffix.length);
                System.arraycopy(suffix, 0, text, shared, suffix.length);
            } else {
                throw new IllegalArgumentException("attribute 'appliedEvents' entry " + i + " is of unknown kind "
                    + kind);
            }
            long key = previousKey + unzigzag(readVarint(in));
            ids.add(utf8(text, i));
            keys.add(key);
            received.add(key + unzigzag(readVarint(in)));
            previous = text;
            previousKey = key;
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("attribute 'appliedEvents' has " + in.remaining()
                + " bytes after its " + n + " entries");
        }
        return new Window(ids, keys, received);
    }

    /** The 16 bytes of a canonical lower-case UUID (what {@code UUID.toString()} gives), else {@code null}. */
    static byte[] uuidBytes(String id) {
        if (id.length() != 36) {
            return null;
        }
        byte[] bytes = new byte[16];
        int b = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int nibble = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (nibble < 0) {
                return null;
            }
            bytes[b / 2] |= (byte) (b % 2 == 0 ? nibble << 4 : nibble);
            b++;
        }
        return bytes;
    }

    private static String uuidText(byte[] bytes) {
        StringBuilder text = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                text.append('-');
            }
            text.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return text.toString();
    }

    private static String utf8(byte[] text, int entry) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("attribute 'appliedEvents' entry " + entry + " is not UTF-8", e);
        }
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static long readVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = next(in);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("attribute 'appliedEvents' holds a number longer than 10 bytes");
    }

    /** A count or a length: a varint that must fit in an int (a damaged value could claim up to 2^64). */
    private static int readLength(ByteBuffer in) {
        long value = readVarint(in);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attribute 'appliedEvents' holds a length out of range");
        }
        return (int) value;
    }

    private static int next(ByteBuffer in) {
        if (!in.hasRemaining()) {
            throw new IllegalArgumentException("attribute 'appliedEvents' ends inside an entry");
        }
        return in.get() & 0xFF;
    }

    private static byte[] take(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new IllegalArgumentException("attribute 'appliedEvents' ends inside an entry");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }
}
