package za.co.personalisation.local.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;

/**
 * Creates template.yaml's data resources in the emulator (tables, streams, topics, queues, subscriptions, the SES
 * identity) and answers what their Ref and Fn::GetAtt resolve to, for the functions' environments and event
 * source mappings. Resources the emulator has no use for locally (the API, IAM, policies) are skipped.
 */
public final class LocalResources implements Intrinsics.Resources {

    public static final String ACCOUNT_ID = "123456789012";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Template template;
    private final Map<String, String> parameters;
    private final String region;
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, Map<String, String>> attributes = new HashMap<>();
    private final Intrinsics intrinsics;

    public LocalResources(Template template, Map<String, String> parameterOverrides, String region,
        String stackName) {
        this.template = template;
        this.region = region;
        Map<String, String> params = new LinkedHashMap<>(template.parameterDefaults());
        params.putAll(parameterOverrides);
        params.put("AWS::Region", region);
        params.put("AWS::AccountId", ACCOUNT_ID);
        params.put("AWS::StackName", stackName);
        params.put("AWS::Partition", "aws");
        params.put("AWS::URLSuffix", "amazonaws.com");
        this.parameters = Map.copyOf(params);
        this.intrinsics = new Intrinsics(parameters, this);
        for (Template.Resource resource : template.resources()) {
            if (resource.type().equals("AWS::Serverless::Function")) {
                String name = intrinsics.string(resource.properties().getOrDefault("FunctionName",
                    resource.logicalId()));
                refs.put(resource.logicalId(), name);
                attributes.put(resource.logicalId(), Map.of("Arn", arn("lambda", "function:" + name)));
            } else if (resource.type().equals("AWS::Serverless::Api")) {
                refs.put(resource.logicalId(), "local");
            } else if (resource.type().equals("AWS::KMS::Key")) {
                // moto's KMS is not needed locally: the emulator does not encrypt at rest
                refs.put(resource.logicalId(), "local-" + resource.logicalId());
                attributes.put(resource.logicalId(), Map.of("Arn", arn("kms", "key/local-" + resource.logicalId())));
            } else if (resource.type().equals("AWS::Logs::LogGroup")) {
                // not created in the emulator: the local runtime reads function log lines itself
                refs.put(resource.logicalId(), intrinsics.string(resource.properties().get("LogGroupName")));
            }
        }
    }

    public Intrinsics intrinsics() {
        return intrinsics;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** Creates every supported resource, in an order that satisfies their references. */
    public void create(AwsClients clients) {
        DynamoDbClient dynamoDb = clients.dynamoDb();
        KinesisClient kinesis = clients.kinesis();
        SqsClient sqs = clients.sqs();
        SnsClient sns = clients.sns();
        SesV2Client ses = clients.sesV2();
        for (Template.Resource table : template.resourcesOfType("AWS::DynamoDB::Table")) {
            createTable(dynamoDb, table);
        }
        for (Template.Resource stream : template.resourcesOfType("AWS::Kinesis::Stream")) {
            createStream(kinesis, stream);
        }
        for (Template.Resource topic : template.resourcesOfType("AWS::SNS::Topic")) {
            String name = name(topic, "TopicName");
            String arn = sns.createTopic(b -> b.name(name)).topicArn();
            refs.put(topic.logicalId(), arn);
            attributes.put(topic.logicalId(), Map.of("TopicArn", arn, "TopicName", name));
        }
        List<Template.Resource> queues = new ArrayList<>(template.resourcesOfType("AWS::SQS::Queue"));
        // dead-letter queues first: a redrive policy needs its target's ARN
        queues.sort((a, b) -> Boolean.compare(a.properties().containsKey("RedrivePolicy"),
            b.properties().containsKey("RedrivePolicy")));
        for (Template.Resource queue : queues) {
            createQueue(sqs, queue);
        }
        for (Template.Resource subscription : template.resourcesOfType("AWS::SNS::Subscription")) {
            subscribe(sns, subscription);
        }
        for (Template.Resource identity : template.resourcesOfType("AWS::SES::EmailIdentity")) {
            String email = intrinsics.string(identity.properties().get("EmailIdentity"));
            ses.createEmailIdentity(b -> b.emailIdentity(email));
            refs.put(identity.logicalId(), email);
        }
    }

    private void createTable(DynamoDbClient dynamoDb, Template.Resource table) {
        Map<String, Object> p = table.properties();
        String name = name(table, "TableName");
        CreateTableRequest.Builder request = CreateTableRequest.builder()
            .tableName(name)
            .billingMode(BillingMode.PAY_PER_REQUEST);
        List<AttributeDefinition> definitions = new ArrayList<>();
        for (Object definition : (List<?>) p.get("AttributeDefinitions")) {
            Map<String, Object> d = Template.map(definition);
            definitions.add(AttributeDefinition.builder().attributeName(String.valueOf(d.get("AttributeName")))
                .attributeType(String.valueOf(d.get("AttributeType"))).build());
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Object element : (List<?>) p.get("KeySchema")) {
            Map<String, Object> k = Template.map(element);
            keys.add(KeySchemaElement.builder().attributeName(String.valueOf(k.get("AttributeName")))
                .keyType(String.valueOf(k.get("KeyType"))).build());
        }
        request.attributeDefinitions(definitions).keySchema(keys);
        List<GlobalSecondaryIndex> indexes = globalSecondaryIndexes(p.get("GlobalSecondaryIndexes"));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        Map<String, Object> stream = Template.map(p.get("StreamSpecification"));
        if (!stream.isEmpty()) {
            request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                .streamViewType(String.valueOf(stream.get("StreamViewType"))).build());
        }
        TableDescription description = dynamoDb.createTable(request.build()).tableDescription();
        Map<String, Object> ttl = Template.map(p.get("TimeToLiveSpecification"));
        if (Boolean.TRUE.equals(ttl.get("Enabled"))) {
            dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true)
                .attributeName(String.valueOf(ttl.get("AttributeName")))));
        }
        refs.put(table.logicalId(), name);
        Map<String, String> attrs = new HashMap<>();
        attrs.put("Arn", description.tableArn());
        if (description.latestStreamArn() != null) {
            attrs.put("StreamArn", description.latestStreamArn());
        }
        attributes.put(table.logicalId(), attrs);
    }

    private static List<GlobalSecondaryIndex> globalSecondaryIndexes(Object declared) {
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        if (!(declared instanceof List<?> list)) {
            return indexes;
        }
        for (Object index : list) {
            Map<String, Object> i = Template.map(index);
            List<KeySchemaElement> keys = new ArrayList<>();
            for (Object element : (List<?>) i.get("KeySchema")) {
                Map<String, Object> k = Template.map(element);
                keys.add(KeySchemaElement.builder().attributeName(String.valueOf(k.get("AttributeName")))
                    .keyType(String.valueOf(k.get("KeyType"))).build());
            }
            Map<String, Object> projection = Template.map(i.get("Projection"));
            indexes.add(GlobalSecondaryIndex.builder().indexName(String.valueOf(i.get("IndexName"))).keySchema(keys)
                .projection(p -> p.projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "ALL"))))
                .build());
        }
        return indexes;
    }

    private void createStream(KinesisClient kinesis, Template.Resource stream) {
        String name = name(stream, "Name");
        Object shards = stream.properties().getOrDefault("ShardCount", 1);
        kinesis.createStream(b -> b.streamName(name).shardCount(Integer.parseInt(shards.toString())));
        String arn = null;
        for (int i = 0; i < 100; i++) {
            var summary = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
            arn = summary.streamARN();
            if (summary.streamStatus() == StreamStatus.ACTIVE) {
                break;
            }
            pause();
        }
        refs.put(stream.logicalId(), name);
        attributes.put(stream.logicalId(), Map.of("Arn", arn));
    }

    private void createQueue(SqsClient sqs, Template.Resource queue) {
        Map<String, Object> p = queue.properties();
        String name = name(queue, "QueueName");
        Map<QueueAttributeName, String> attrs = new HashMap<>();
        copy(p, "VisibilityTimeout", attrs, QueueAttributeName.VISIBILITY_TIMEOUT);
        copy(p, "MessageRetentionPeriod", attrs, QueueAttributeName.MESSAGE_RETENTION_PERIOD);
        copy(p, "DelaySeconds", attrs, QueueAttributeName.DELAY_SECONDS);
        if (p.containsKey("RedrivePolicy")) {
            attrs.put(QueueAttributeName.REDRIVE_POLICY, json(intrinsics.resolve(p.get("RedrivePolicy"))));
        }
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
        refs.put(queue.logicalId(), url);
        attributes.put(queue.logicalId(), Map.of("Arn", arn, "QueueName", name, "QueueUrl", url));
    }

    private void subscribe(SnsClient sns, Template.Resource subscription) {
        Map<String, Object> p = subscription.properties();
        Map<String, String> attrs = new HashMap<>();
        if (Boolean.parseBoolean(String.valueOf(p.get("RawMessageDelivery")))) {
            attrs.put("RawMessageDelivery", "true");
        }
        if (p.containsKey("FilterPolicy")) {
            attrs.put("FilterPolicy", json(intrinsics.resolve(p.get("FilterPolicy"))));
            attrs.put("FilterPolicyScope", String.valueOf(p.getOrDefault("FilterPolicyScope", "MessageAttributes")));
        }
        String arn = sns.subscribe(b -> b
            .topicArn(intrinsics.string(p.get("TopicArn")))
            .protocol(intrinsics.string(p.get("Protocol")))
            .endpoint(intrinsics.string(p.get("Endpoint")))
            .attributes(attrs)
            .returnSubscriptionArn(true)).subscriptionArn();
        refs.put(subscription.logicalId(), arn);
    }

    private String name(Template.Resource resource, String property) {
        Object name = resource.properties().get(property);
        return name == null ? resource.logicalId() : intrinsics.string(name);
    }

    private void copy(Map<String, Object> properties, String property, Map<QueueAttributeName, String> attrs,
        QueueAttributeName name) {
        Object value = properties.get(property);
        if (value != null) {
            attrs.put(name, intrinsics.string(value));
        }
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    private String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + ACCOUNT_ID + ":" + resource;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String ref(String logicalId) {
        return refs.get(logicalId);
    }

    @Override
    public String attribute(String logicalId, String attribute) {
        Map<String, String> attrs = attributes.get(logicalId);
        return attrs == null ? null : attrs.get(attribute);
    }

    /** The logical id whose attribute has this value (an event source ARN back to its resource), or null. */
    public String logicalIdOfAttribute(String value) {
        for (Map.Entry<String, Map<String, String>> entry : attributes.entrySet()) {
            if (entry.getValue().containsValue(value)) {
                return entry.getKey();
            }
        }
        return null;
    }
}
