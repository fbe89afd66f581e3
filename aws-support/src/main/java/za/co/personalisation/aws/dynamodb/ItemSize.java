package za.co.personalisation.aws.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB item's size as DynamoDB bills it (Developer Guide, "Item sizes and formats"): attribute names plus
 * values; strings and binaries by their bytes, numbers by about one byte per two significant digits plus one,
 * booleans and nulls one byte, lists and maps three bytes plus their elements (and one byte per element). Used to
 * bound a profile well under DynamoDB's 400 KB item limit (enrich's tests) and to price calls (the load tool).
 */
public final class ItemSize {

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + value(attribute.getValue());
        }
        return size;
    }

    public static long of(Collection<Map<String, AttributeValue>> items) {
        long size = 0;
        for (Map<String, AttributeValue> item : items) {
            size += of(item);
        }
        return size;
    }

    private static long value(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return number(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArrayUnsafe().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
                size += 1 + utf8(entry.getKey()) + value(entry.getValue());
            }
            return size;
        }
        if (value.hasL()) {
            long size = 3;
            for (AttributeValue element : value.l()) {
                size += 1 + value(element);
            }
            return size;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(ItemSize::number).sum();
        }
        if (value.hasBs()) {
            return value.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        }
        return 1;
    }

    private static long number(String number) {
        String digits;
        try {
            digits = new BigDecimal(number).stripTrailingZeros().unscaledValue().abs().toString();
        } catch (NumberFormatException e) {
            digits = number;
        }
        return (digits.length() + 1) / 2 + 1;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
