package za.co.personalisation.aws.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts DynamoDB Streams images as Lambda delivers them ({@code aws-lambda-java-events} types) into SDK v2
 * attribute values, so that one item mapper reads both tables and streams.
 */
public final class StreamImages {

    private StreamImages() {
    }

    public static Map<String, AttributeValue> toSdk(
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, AttributeValue> converted = new HashMap<>(image.size() * 2);
        image.forEach((name, value) -> converted.put(name, toSdk(value)));
        return converted;
    }

    public static AttributeValue toSdk(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (v.getNULL() != null) {
            return AttributeValue.fromNul(v.getNULL());
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(toSdk(v.getM()));
        }
        if (v.getL() != null) {
            List<AttributeValue> list = new ArrayList<>(v.getL().size());
            v.getL().forEach(element -> list.add(toSdk(element)));
            return AttributeValue.fromL(list);
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB()));
        }
        if (v.getBS() != null) {
            List<SdkBytes> bytes = new ArrayList<>();
            v.getBS().forEach(b -> bytes.add(SdkBytes.fromByteBuffer(b)));
            return AttributeValue.fromBs(bytes);
        }
        throw new IllegalArgumentException("a stream attribute value has no recognised type");
    }
}
