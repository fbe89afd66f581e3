package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml's EnrichFunction, its event source mapping, queues and tables: the settings the handler's
 * reliability depends on, and IAM for every call the code makes.
 */
class EnrichTemplateTest {

    private static Map<String, Object> resources;
    private static Map<String, Object> function;
    private static Map<String, Object> mapping;

    @BeforeAll
    static void load() throws IOException {
        Path template = Path.of(System.getProperty("project.root", ".."), "template.yaml");
        if (!Files.exists(template)) {
            template = Path.of("template.yaml");
        }
        try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Map<String, Object> root = new Yaml(new TagsAsMaps()).load(reader);
            resources = map(root.get("Resources"));
        }
        function = map(map(resources.get("EnrichFunction")).get("Properties"));
        mapping = map(map(map(function.get("Events")).get("InterestEvents")).get("Properties"));
    }

    @Test
    void eventSourceMapping_hasEveryReliabilitySettingTheHandlerIsBuiltFor() {
        assertThat(mapping.get("BisectBatchOnFunctionError")).isEqualTo(true);
        assertThat(mapping.get("MaximumRetryAttempts")).isEqualTo(5);
        assertThat(mapping.get("MaximumRecordAgeInSeconds")).isEqualTo(3600);
        assertThat(mapping.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(map(map(mapping.get("DestinationConfig")).get("OnFailure")).get("Destination"))
            .isEqualTo(Map.of("!GetAtt", "EnrichFailureQueue.Arn"));
        assertThat(mapping.get("StartingPosition")).isEqualTo("TRIM_HORIZON");
        assertThat(mapping.get("Stream")).isEqualTo(Map.of("!GetAtt", "InterestEventsStream.Arn"));
    }

    @Test
    void function_environmentHasWhatTheHandlerRequires_withValuesItAccepts() {
        Map<String, Object> variables = map(map(function.get("Environment")).get("Variables"));

        assertThat(variables).containsKeys("PROFILES_TABLE", "ERASURES_TABLE", "NOTIFICATIONS_TABLE",
            "FAILED_EVENTS_QUEUE_URL");
        assertThat(variables.get("ERASURES_TABLE")).isEqualTo(Map.of("!Ref", "ErasuresTable"));
        assertThat(Duration.parse(variables.get("ERASURE_TOMBSTONE_TTL").toString()))
            .isGreaterThanOrEqualTo(Duration.ofDays(EnrichHandler.MIN_TOMBSTONE_DAYS));
        assertThat(Duration.parse(variables.get("INTEREST_HALF_LIFE").toString())).isPositive();
        assertThat(Integer.parseInt(variables.get("WRITE_CONCURRENCY").toString())).isPositive();
        assertThat(Duration.ofSeconds((Integer) function.get("Timeout")))
            .isGreaterThan(EnrichHandler.DEADLINE_MARGIN.multipliedBy(5));
        assertThat(function.get("Handler")).isEqualTo(EnrichHandler.class.getName() + "::handleRequest");
    }

    @Test
    void policies_allowEveryCallTheCodeMakes_onTheTableItIsMadeOn() {
        assertThat(actionsOn("ProfilesTable")).contains("dynamodb:BatchGetItem", "dynamodb:GetItem",
            "dynamodb:PutItem", "dynamodb:DeleteItem");
        assertThat(actionsOn("ErasuresTable")).contains("dynamodb:BatchGetItem", "dynamodb:PutItem",
            "dynamodb:ConditionCheckItem");
        // Query and BatchWriteItem for erasure; Query and PutItem for conversions (ConversionLedger)
        assertThat(actionsOn("NotificationsTable")).containsExactlyInAnyOrder("dynamodb:Query",
            "dynamodb:BatchWriteItem", "dynamodb:PutItem");
        assertThat(actionsOn("FailedEventsQueue")).containsExactly("sqs:SendMessage");
        assertThat(actionsOn("ContactsTable")).isEmpty();
    }

    @Test
    void erasuresTable_isKeyedByTheHashAndExpiresByTtl() {
        Map<String, Object> table = map(map(resources.get("ErasuresTable")).get("Properties"));

        assertThat(table.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName",
            ProfileStore.TOMBSTONE_KEY, "KeyType", "HASH")));
        assertThat(table.get("TimeToLiveSpecification")).isEqualTo(Map.of("AttributeName", "expiresAt",
            "Enabled", true));
        assertThat(map(table.get("SSESpecification")).get("SSEEnabled")).isEqualTo(true);
        assertThat(map(resources.get("ErasuresTable")).get("DeletionPolicy")).isEqualTo("Retain");
    }

    private static List<String> actionsOn(String logicalId) {
        List<String> actions = new ArrayList<>();
        // the function's own role (docs/privacy.md, item 8): its statements are in EnrichPolicy
        assertThat(function.get("Role")).isEqualTo(Map.of("!GetAtt", "EnrichRole.Arn"));
        Map<String, Object> policy = map(map(map(resources.get("EnrichPolicy")).get("Properties"))
            .get("PolicyDocument"));
        for (Object statement : (List<?>) policy.get("Statement")) {
            Map<String, Object> s = map(statement);
            Object resource = s.get("Resource");
            List<?> targets = resource instanceof List<?> list ? list : List.of(resource);
            boolean applies = targets.stream().anyMatch(target -> target.toString().contains(logicalId + "."));
            Object action = s.get("Action");
            if (applies) {
                (action instanceof List<?> list ? list : List.of(action)).forEach(a -> actions.add(a.toString()));
            }
        }
        return actions;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    /** CloudFormation's short-form tags ({@code !Ref X}) read as one-entry maps ({@code {"!Ref": "X"}}). */
    private static final class TagsAsMaps extends SafeConstructor {

        TagsAsMaps() {
            super(new LoaderOptions());
            for (String tag : List.of("!Ref", "!GetAtt", "!Sub", "!Join", "!If", "!Equals", "!Not", "!Select",
                "!Split", "!FindInMap", "!ImportValue", "!Condition")) {
                yamlConstructors.put(new Tag(tag), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value = node instanceof ScalarNode scalar ? constructScalar(scalar)
                            : node instanceof SequenceNode sequence ? constructSequence(sequence)
                            : constructMapping((org.yaml.snakeyaml.nodes.MappingNode) node);
                        return Map.of(tag, value);
                    }
                });
            }
        }
    }
}
