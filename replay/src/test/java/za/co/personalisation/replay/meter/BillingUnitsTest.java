package za.co.personalisation.replay.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import za.co.personalisation.aws.dynamodb.ItemSize;

class BillingUnitsTest {

    @Test
    void kinesis_putRecords_isBilledIn25KiBPayloadUnitsPerRecord() {
        PutRecordsRequest put = PutRecordsRequest.builder().records(
            entry(300), entry(25 * 1024), entry(25 * 1024 + 1)).build();

        assertThat(BillingUnits.entries(put)).isEqualTo(3);
        assertThat(BillingUnits.units("kinesis", "PutRecords", put, null)).isEqualTo(1 + 1 + 2);
    }

    @Test
    void dynamoDb_writesAreBilledPerKiBOfItem_readsPer4KiB_halvedWhenEventuallyConsistent() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("customerId", AttributeValue.fromS("12345"));
        item.put("blob", AttributeValue.fromS("x".repeat(1_500)));
        PutItemRequest put = PutItemRequest.builder().item(item).build();
        GetItemResponse found = GetItemResponse.builder().item(item).build();

        assertThat(BillingUnits.units("dynamodb", "PutItem", put, null)).isEqualTo(2);
        assertThat(BillingUnits.units("dynamodb", "GetItem", GetItemRequest.builder().consistentRead(true).build(),
            found)).isEqualTo(1);
        assertThat(BillingUnits.units("dynamodb", "GetItem", GetItemRequest.builder().build(),
            GetItemResponse.builder().build())).isEqualTo(0.5);
        assertThat(BillingUnits.units("dynamodb", "UpdateItem", UpdateItemRequest.builder().build(), null))
            .isEqualTo(1);
    }

    @Test
    void sns_smsIsItsOwnVariant_topicPublishesAreBilledPerEntry() {
        PublishRequest sms = PublishRequest.builder().phoneNumber("+27821234567").message("hi").build();
        PublishBatchRequest batch = PublishBatchRequest.builder().publishBatchRequestEntries(
            PublishBatchRequestEntry.builder().id("0").message("a").build(),
            PublishBatchRequestEntry.builder().id("1").message("b").build()).build();

        assertThat(BillingUnits.label("Publish", sms)).isEqualTo("Publish:sms");
        assertThat(BillingUnits.label("Publish", PublishRequest.builder().topicArn("t").message("m").build()))
            .isEqualTo("Publish");
        assertThat(BillingUnits.units("sns", "Publish:sms", sms, null)).isEqualTo(1);
        assertThat(BillingUnits.units("sns", "PublishBatch", batch, null)).isEqualTo(2);
        assertThat(BillingUnits.entries(batch)).isEqualTo(2);
    }

    @Test
    void sqs_sesAndEverythingElse() {
        assertThat(BillingUnits.units("sqs", "SendMessage", SendMessageRequest.builder()
            .messageBody("x".repeat(70 * 1024)).build(), null)).isEqualTo(2);
        assertThat(BillingUnits.units("sqs", "ReceiveMessage", ReceiveMessageRequest.builder().build(), null))
            .isEqualTo(1);
        assertThat(BillingUnits.units("sesv2", "SendEmail", SendEmailRequest.builder()
            .destination(Destination.builder().toAddresses("a@example.com").ccAddresses("b@example.com").build())
            .build(), null)).isEqualTo(2);
        assertThat(BillingUnits.units("kinesis", "GetRecords", null, null)).isZero();
        assertThat(BillingUnits.units("dynamodbstreams", "GetRecords", null, null)).isEqualTo(1);
    }

    @Test
    void itemSize_followsDynamoDbsRules() {
        assertThat(ItemSize.of(Map.of("a", AttributeValue.fromS("hello")))).isEqualTo(6);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.fromN("12345")))).isEqualTo(1 + 4);
        assertThat(ItemSize.of(Map.of("b", AttributeValue.fromBool(true)))).isEqualTo(2);
        assertThat(ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"),
            AttributeValue.fromS("cd")))))).isEqualTo(1 + 3 + 3 + 3);
        assertThat(ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"))))))
            .isEqualTo(1 + 3 + 1 + 1 + 1);
    }

    private static PutRecordsRequestEntry entry(int bytes) {
        return PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromByteArray(new byte[bytes]))
            .build();
    }
}
