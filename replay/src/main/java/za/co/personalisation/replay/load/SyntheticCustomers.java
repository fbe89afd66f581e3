package za.co.personalisation.replay.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;

/**
 * Before a run, gives the reachable share of the run's customers what a real customer who agreed to marketing has:
 * a profile with consent and a contact entry, so that their events can go all the way to a delivered message.
 *
 * <p>The contact details are synthetic and reach nobody. On the local emulator: consent for SMS and email, a phone
 * number in the unallocated +27 99 range and an address at example.com. On AWS: consent for email only, to the SES
 * mailbox simulator (success@simulator.amazonses.com), which accepts mail and delivers none; never an SMS.
 */
public final class SyntheticCustomers {

    public static final String SES_SIMULATOR = "success@simulator.amazonses.com";

    /** How many distinct customers the run has, and how many of them were made reachable. */
    public record Seeded(int customers, int reachable) {
    }

    private SyntheticCustomers() {
    }

    public static Seeded seed(DynamoDbClient dynamoDb, StackNames names, LoadPlan plan, boolean emulated,
        Instant now) {
        ZipfSampler customers = plan.customers();
        BitSet seen = new BitSet();
        List<Integer> reachable = new ArrayList<>();
        for (int i = 0; i < plan.count(); i++) {
            int rank = plan.event(i, customers).customerRank();
            if (!seen.get(rank)) {
                seen.set(rank);
                if (plan.reachable(rank)) {
                    reachable.add(rank);
                }
            }
        }
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        consent.put(Channel.EMAIL, new Consent(Consent.State.GRANTED, now));
        if (emulated) {
            consent.put(Channel.SMS, new Consent(Consent.State.GRANTED, now));
        }
        List<WriteRequest> profiles = new ArrayList<>();
        List<WriteRequest> contacts = new ArrayList<>();
        for (int rank : reachable) {
            String id = plan.customerId(rank);
            Profile profile = new Profile(id, 1, Map.of(), null, Instant.EPOCH, consent, List.of(), now);
            profiles.add(put(ProfileItems.toItem(profile)));
            ContactItems.Contact contact = emulated
                ? new ContactItems.Contact(id, String.format("+2799%07d", rank % 10_000_000), id + "@example.com",
                    "en-ZA", "Africa/Johannesburg")
                : new ContactItems.Contact(id, null, SES_SIMULATOR, "en-ZA", "Africa/Johannesburg");
            contacts.add(put(ContactItems.toItem(contact)));
        }
        write(dynamoDb, names.contactsTable(), contacts);
        write(dynamoDb, names.profilesTable(), profiles);
        return new Seeded(seen.cardinality(), reachable.size());
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static void write(DynamoDbClient dynamoDb, String table, List<WriteRequest> writes) {
        for (int from = 0; from < writes.size(); from += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from,
                Math.min(from + 25, writes.size())));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 10) {
                    throw new IllegalStateException("DynamoDB kept items unprocessed while seeding " + table);
                }
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    try {
                        Thread.sleep(50L << Math.min(attempt, 6));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while seeding " + table, e);
                    }
                }
            }
        }
    }
}
