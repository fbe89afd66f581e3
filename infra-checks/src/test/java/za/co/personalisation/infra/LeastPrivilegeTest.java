package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/**
 * Issue 12, item 8: template.yaml's IAM, read as data. Every function has its own role (so SAM adds no managed
 * policy with {@code Resource: *}); no statement names {@code *} but X-Ray's; the event sources are read through
 * statements scoped to this stack's stream, table stream and queues; ingest cannot get old contact items back; the
 * contacts table has a key that only ingest (encrypt) and deliver (decrypt) may use, and feedback only to Query the
 * phone-hash index (issue 17).
 */
class LeastPrivilegeTest {

    private static final List<String> FUNCTIONS = List.of("Ingest", "Enrich", "Notify", "Deliver", "Feedback");
    private static Template template;

    @BeforeAll
    static void load() throws Exception {
        template = Template.load(ProjectRoot.find().resolve("template.yaml"));
    }

    @Test
    void everyFunction_hasItsOwnRole_andNoSamPolicies_soSamAddsNoManagedPolicy() {
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            String name = function.logicalId().replace("Function", "");
            assertThat(function.properties()).as(function.logicalId()).doesNotContainKey("Policies")
                .containsEntry("Role", Map.of("Fn::GetAtt", List.of(name + "Role", "Arn")));
        }
        for (Template.Resource role : template.resourcesOfType("AWS::IAM::Role")) {
            assertThat(role.properties()).as(role.logicalId()).doesNotContainKey("ManagedPolicyArns");
        }
        assertThat(template.functionGlobals()).doesNotContainKeys("Policies", "Role");
    }

    @Test
    void noStatement_allowsResourceStar_exceptXRaysActions_whichHaveNoResourceLevelPermissions() {
        List<String> star = new ArrayList<>();
        for (Map<String, Object> statement : identityStatements()) {
            if (targets(statement).contains("*")) {
                actions(statement).stream().filter(action -> !action.startsWith("xray:")).forEach(star::add);
            }
        }
        assertThat(star).as("actions allowed on Resource *").isEmpty();
    }

    @Test
    void eventSources_areReadThroughStatementsScopedToThisStacksStreamTableStreamAndQueues() {
        assertThat(actionsOn("Enrich", "{Fn::GetAtt=[InterestEventsStream, Arn]}")).contains("kinesis:GetRecords",
            "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListShards");
        assertThat(actionsOn("Notify", "{Fn::Sub=${ProfilesTable.Arn}/stream/*}")).contains("dynamodb:GetRecords",
            "dynamodb:GetShardIterator", "dynamodb:DescribeStream");
        for (String queue : List.of("SmsQueue", "EmailQueue")) {
            assertThat(actionsOn("Deliver", "{Fn::GetAtt=[" + queue + ", Arn]}")).contains("sqs:ReceiveMessage",
                "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility");
        }
        assertThat(actionsOn("Deliver", "{Fn::GetAtt=[AuditQueue, Arn]}")).isEmpty();
        assertThat(actionsOn("Feedback", "{Fn::GetAtt=[FeedbackQueue, Arn]}")).contains("sqs:ReceiveMessage",
            "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility");
    }

    @Test
    void ingest_writesContactsWithoutEverGettingAnOldItemBack() {
        List<Map<String, Object>> onContacts = statementsOn("Ingest", "{Fn::GetAtt=[ContactsTable, Arn]}");

        assertThat(onContacts).singleElement().satisfies(statement -> {
            assertThat(actions(statement)).containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:DeleteItem");
            assertThat(statement.get("Condition")).isEqualTo(Map.of("StringEqualsIfExists",
                Map.of("dynamodb:ReturnValues", "NONE")));
        });
        for (String other : List.of("Enrich", "Notify", "Feedback")) {
            assertThat(statementsOn(other, "{Fn::GetAtt=[ContactsTable, Arn]}")).as(other).isEmpty();
        }
    }

    @Test
    void ingestAndFeedback_mayPutConsentStatements_andIngestNothingElseOnTheNotificationsTable() {
        // PUT consent and a STOP reply record the latest consent statement (a conditional PutItem) that deliver
        // checks before each send; ingest neither reads nor updates the ledger.
        assertThat(actionsOn("Ingest", "{Fn::GetAtt=[NotificationsTable, Arn]}"))
            .containsExactly("dynamodb:PutItem");
        assertThat(actionsOn("Ingest", "{Fn::Sub=${NotificationsTable.Arn}/index/providerMessageId-index}"))
            .isEmpty();
        assertThat(actionsOn("Feedback", "{Fn::GetAtt=[NotificationsTable, Arn]}")).contains("dynamodb:PutItem");
        assertThat(actionsOn("Deliver", "{Fn::GetAtt=[NotificationsTable, Arn]}")).contains("dynamodb:GetItem");
    }

    @Test
    void feedback_mayOnlyQueryThePhoneHashIndex_ofTheContactsTable() {
        List<String> onContacts = new ArrayList<>();
        for (Map<String, Object> statement : statements(map(resource("FeedbackPolicy").properties()
            .get("PolicyDocument")))) {
            if (targets(statement).stream().anyMatch(target -> target.contains("ContactsTable"))) {
                assertThat(targets(statement)).containsExactly("{Fn::Sub=${ContactsTable.Arn}/index/phoneHash-index}");
                onContacts.addAll(actions(statement));
            }
        }
        assertThat(onContacts).containsExactly("dynamodb:Query");
    }

    @Test
    void contactsTable_hasItsOwnKey_usableOnlyByIngestToEncryptAndDeliverAndFeedbackToDecrypt() {
        Map<String, Object> table = resource("ContactsTable").properties();
        assertThat(map(table.get("SSESpecification")).get("KMSMasterKeyId")).isEqualTo(Map.of("Ref", "ContactsKey"));

        List<Map<String, Object>> statements = statements(map(resource("ContactsKey").properties().get("KeyPolicy")));
        List<String> usage = List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:*",
            "kms:CreateGrant");
        for (Map<String, Object> statement : statements) {
            Object principal = map(statement.get("Principal")).get("AWS");
            List<String> actions = actions(statement);
            if (Map.of("Fn::GetAtt", List.of("IngestRole", "Arn")).equals(principal)) {
                assertThat(actions).containsExactlyInAnyOrder("kms:Encrypt", "kms:GenerateDataKey*",
                    "kms:DescribeKey");
            } else if (Map.of("Fn::GetAtt", List.of("DeliverRole", "Arn")).equals(principal)
                || Map.of("Fn::GetAtt", List.of("FeedbackRole", "Arn")).equals(principal)) {
                assertThat(actions).containsExactlyInAnyOrder("kms:Decrypt", "kms:DescribeKey");
            } else if (actions.contains("kms:CreateGrant")) {
                assertThat(map(statement.get("Condition")).get("Bool"))
                    .isEqualTo(Map.of("kms:GrantIsForAWSResource", true));
            } else {
                assertThat(actions).as("statement %s", statement.get("Sid")).doesNotContainAnyElementsOf(usage);
            }
            assertThat(principal).isNotEqualTo("*");
        }
        // no identity policy of the stack names the key: the key policy alone decides who uses it
        for (Map<String, Object> statement : identityStatements()) {
            assertThat(targets(statement)).noneMatch(target -> target.contains("ContactsKey"));
        }
    }

    private static List<Map<String, Object>> identityStatements() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Template.Resource policy : template.resourcesOfType("AWS::IAM::Policy")) {
            all.addAll(statements(map(policy.properties().get("PolicyDocument"))));
        }
        for (Template.Resource role : template.resourcesOfType("AWS::IAM::Role")) {
            for (Object inline : list(role.properties().get("Policies"))) {
                all.addAll(statements(map(map(inline).get("PolicyDocument"))));
            }
        }
        return all;
    }

    private static List<Map<String, Object>> statementsOn(String function, String target) {
        Template.Resource policy = resource(function + "Policy");
        assertThat(policy.properties().get("Roles")).isEqualTo(List.of(Map.of("Ref", function + "Role")));
        return statements(map(policy.properties().get("PolicyDocument"))).stream()
            .filter(statement -> targets(statement).contains(target)).toList();
    }

    private static List<String> actionsOn(String function, String target) {
        List<String> actions = new ArrayList<>();
        statementsOn(function, target).forEach(statement -> actions.addAll(actions(statement)));
        return actions;
    }

    private static Template.Resource resource(String logicalId) {
        return template.resources().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst()
            .orElseThrow(() -> new AssertionError("template.yaml has no " + logicalId));
    }

    private static List<Map<String, Object>> statements(Map<String, Object> document) {
        List<Map<String, Object>> statements = new ArrayList<>();
        list(document.get("Statement")).forEach(statement -> statements.add(map(statement)));
        return statements;
    }

    private static List<String> actions(Map<String, Object> statement) {
        return list(statement.get("Action")).stream().map(String::valueOf).toList();
    }

    private static List<String> targets(Map<String, Object> statement) {
        return list(statement.get("Resource")).stream().map(String::valueOf).toList();
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : value instanceof List<?> items ? items : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }
}
