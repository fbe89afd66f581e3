package za.co.personalisation.enrich;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it against the 400 KB limit (Developer Guide, "Item sizes and formats"):
 * attribute names and strings in UTF-8 bytes, a number about one byte per two significant digits plus one, a
 * boolean or null one byte, a list or map 3 bytes plus one byte per element plus the elements (and, for a map, their
 * names). moto counts less (no overheads, see {@link ConsentOnItsOwnIT#motoSize}), so this is the figure to trust.
 */
final class ItemSize {

    private ItemSize() {
    }

    static int of(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    static int of(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            BigDecimal number = new BigDecimal(value.n()).stripTrailingZeros();
            int digits = Math.max(1, number.precision());
            return (digits + 1) / 2 + 1;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasL()) {
            int size = 3;
            for (AttributeValue element : value.l()) {
                size += 1 + of(element);
            }
            return size;
        }
        if (value.hasM()) {
            int size = 3;
            for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
                size += 1 + utf8(entry.getKey()) + of(entry.getValue());
            }
            return size;
        }
        throw new IllegalArgumentException("no size rule for " + value);
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
