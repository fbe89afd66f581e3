package za.co.personalisation.replay.meter;

/**
 * What a call is counted under.
 *
 * @param caller    who made it: {@code client} (this tool), a function's logical id, or {@code local-runtime}
 * @param service   normalised service id ({@code kinesis}, {@code dynamodb}, {@code dynamodbstreams}, {@code sns},
 *                  {@code sqs}, {@code sesv2}, …)
 * @param operation the API operation, with a billing variant after a colon where one operation is billed two
 *                  ways ({@code Publish:sms} is an SMS, {@code Publish} a topic publish)
 */
public record CallKey(String caller, String service, String operation) {
}
