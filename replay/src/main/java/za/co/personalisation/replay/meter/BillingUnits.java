package za.co.personalisation.replay.meter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import za.co.personalisation.aws.dynamodb.ItemSize;

/**
 * How AWS bills one call, estimated from the request and response as the pricing pages describe it:
 * Kinesis PUT payload units (25 KB chunks of each record), DynamoDB write request units (1 KB of item per write)
 * and read request units (4 KB per strongly consistent read, half for eventually consistent), SNS and SQS requests
 * (64 KB chunks), SES emails (one per recipient), SMS messages. The unit an operation is billed in is named by
 * {@code CostModel}; this class only counts.
 *
 * <p>Estimates, not invoices: an UpdateItem is counted as one unit (the item's size is not in the request), and
 * a Scan or Query is counted by the size of the items it returned, not of those it read and filtered out.
 */
public final class BillingUnits {

    static final int KINESIS_PAYLOAD_UNIT = 25 * 1024;
    static final int WRITE_UNIT = 1024;
    static final int READ_UNIT = 4 * 1024;
    static final int MESSAGE_CHUNK = 64 * 1024;

    private BillingUnits() {
    }

    /** The operation with its billing variant: an SNS Publish to a phone number is an SMS. */
    static String label(String operation, SdkRequest request) {
        if (request instanceof PublishRequest publish && publish.phoneNumber() != null) {
            return operation + ":sms";
        }
        return operation;
    }

    /** Entries carried by a batch call (records, messages, items); 1 for a single-item call. */
    static long entries(SdkRequest request) {
        if (request instanceof PutRecordsRequest put) {
            return put.records().size();
        }
        if (request instanceof PublishBatchRequest batch) {
            return batch.publishBatchRequestEntries().size();
        }
        if (request instanceof SendMessageBatchRequest batch) {
            return batch.entries().size();
        }
        if (request instanceof DeleteMessageBatchRequest batch) {
            return batch.entries().size();
        }
        if (request instanceof ChangeMessageVisibilityBatchRequest batch) {
            return batch.entries().size();
        }
        if (request instanceof BatchWriteItemRequest batch) {
            return batch.requestItems().values().stream().mapToLong(List::size).sum();
        }
        return 1;
    }

    /** Billing units of one successful call (0 for calls that are not billed per request). */
    static double units(String service, String operation, SdkRequest request, SdkResponse response) {
        return switch (service) {
            case "kinesis" -> kinesis(request);
            case "dynamodb" -> dynamoDb(request, response);
            case "dynamodbstreams" -> operation.equals("GetRecords") ? 1 : 0;
            case "sns" -> sns(request);
            case "sqs" -> sqs(request);
            case "sesv2", "ses" -> request instanceof SendEmailRequest email ? recipients(email) : 0;
            default -> 0;
        };
    }

    private static double kinesis(SdkRequest request) {
        if (request instanceof PutRecordsRequest put) {
            long units = 0;
            for (PutRecordsRequestEntry entry : put.records()) {
                units += chunks(entry.data().asByteArrayUnsafe().length, KINESIS_PAYLOAD_UNIT);
            }
            return units;
        }
        if (request instanceof PutRecordRequest put) {
            return chunks(put.data().asByteArrayUnsafe().length, KINESIS_PAYLOAD_UNIT);
        }
        return 0;
    }

    private static double dynamoDb(SdkRequest request, SdkResponse response) {
        if (request instanceof PutItemRequest put) {
            return chunks(ItemSize.of(put.item()), WRITE_UNIT);
        }
        if (request instanceof BatchWriteItemRequest batch) {
            long units = 0;
            for (List<WriteRequest> writes : batch.requestItems().values()) {
                for (WriteRequest write : writes) {
                    units += write.putRequest() != null ? chunks(ItemSize.of(write.putRequest().item()), WRITE_UNIT)
                        : 1;
                }
            }
            return units;
        }
        if (request instanceof GetItemRequest get) {
            double factor = Boolean.TRUE.equals(get.consistentRead()) ? 1 : 0.5;
            Map<String, AttributeValue> item = response instanceof GetItemResponse got && got.hasItem() ? got.item()
                : Map.of();
            return chunks(ItemSize.of(item), READ_UNIT) * factor;
        }
        if (request instanceof ScanRequest scan && response instanceof ScanResponse page) {
            return chunks(ItemSize.of(page.items()), READ_UNIT) * (Boolean.TRUE.equals(scan.consistentRead()) ? 1
                : 0.5);
        }
        if (request instanceof QueryRequest query && response instanceof QueryResponse page) {
            return chunks(ItemSize.of(page.items()), READ_UNIT) * (Boolean.TRUE.equals(query.consistentRead()) ? 1
                : 0.5);
        }
        if (response instanceof BatchGetItemResponse batch) {
            long units = 0;
            for (List<Map<String, AttributeValue>> items : batch.responses().values()) {
                for (Map<String, AttributeValue> item : items) {
                    units += chunks(ItemSize.of(item), READ_UNIT);
                }
            }
            return units * 0.5;
        }
        // UpdateItem, DeleteItem, ConditionCheck: at least one write unit; the item's size is not in the request.
        return request instanceof UpdateItemRequest || request instanceof DeleteItemRequest ? 1 : 0;
    }

    private static double sns(SdkRequest request) {
        if (request instanceof PublishRequest publish) {
            return publish.phoneNumber() != null ? 1 : chunks(utf8(publish.message()), MESSAGE_CHUNK);
        }
        if (request instanceof PublishBatchRequest batch) {
            long units = 0;
            for (PublishBatchRequestEntry entry : batch.publishBatchRequestEntries()) {
                units += chunks(utf8(entry.message()), MESSAGE_CHUNK);
            }
            return units;
        }
        return 1;
    }

    private static double sqs(SdkRequest request) {
        if (request instanceof SendMessageRequest send) {
            return chunks(utf8(send.messageBody()), MESSAGE_CHUNK);
        }
        if (request instanceof SendMessageBatchRequest batch) {
            long bytes = 0;
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                bytes += utf8(entry.messageBody());
            }
            return chunks(bytes, MESSAGE_CHUNK);
        }
        return 1;
    }

    private static double recipients(SendEmailRequest email) {
        if (email.destination() == null) {
            return 1;
        }
        int count = email.destination().toAddresses().size() + email.destination().ccAddresses().size()
            + email.destination().bccAddresses().size();
        return Math.max(1, count);
    }

    /** Billing chunks: at least one, then one per started chunk. */
    static long chunks(long bytes, int chunk) {
        return Math.max(1, (bytes + chunk - 1) / chunk);
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
