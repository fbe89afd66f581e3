package za.co.personalisation.aws.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalDataTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "User: arn:aws:sts::123456789012:assumed-role/deliver/fn is not authorized to perform: SNS:Publish on"
            + " resource: +27821234567",
        "Invalid parameter: PhoneNumber Reason: +27 82 123 4567 is not valid to publish to",
        "number +1 (555) 010-9999 is opted out",
        "call 082 123 4567 or 0821234567 or 082-123-4567 today",
        "Invalid parameter: PhoneNumber Reason: 27821234567 is not valid.",
    })
    void scrub_removesEveryPhoneNumber(String text) {
        String scrubbed = PersonalData.scrub(text);

        assertThat(scrubbed).contains(PersonalData.PHONE)
            .doesNotContain("82 123", "0821234567", "27821234567", "010-9999");
        assertThat(PersonalData.contains(text)).isTrue();
        assertThat(PersonalData.contains(scrubbed)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Email address not verified thandi.mokoena+offers@example.co.za",
        "Email address is not verified. The following identities failed the check in region AF-SOUTH-1:"
            + " Thandi <thandi@example.co.za>, sipho_n@mail.example.com",
        "MessageRejected: \"jan.de-wet@example.org\" bounced",
    })
    void scrub_removesEveryEmailAddress(String text) {
        String scrubbed = PersonalData.scrub(text);

        assertThat(scrubbed).contains(PersonalData.EMAIL).doesNotContain("@", "thandi", "sipho_n", "jan.de-wet");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:sns:af-south-1:123456789012:offer-notifications-dev",
        "The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID:"
            + " 7A62C49F347E4FC49331A6E8EEXAMPLE)",
        "event 64df436c-0e33-492f-9810-123456789012 at 2026-11-25T21:40:18.402Z",
        "gave up after 4 receives: InternalErrorException",
        "sequence 49590338271490256608559692538361571095921575989136588898 of shardId-000000000000",
        "occurredAt 2026-11-25 21:40:18 is more than 5 minutes ahead",
        "customer 12345 has 2 of 2 sms today",
    })
    void scrub_leavesIdsTimesAndArnsAlone(String text) {
        assertThat(PersonalData.scrub(text)).isEqualTo(text);
        assertThat(PersonalData.contains(text)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void scrub_keepsNullAndEmpty() {
        assertThat(PersonalData.scrub(null)).isNull();
        assertThat(PersonalData.scrub("")).isEmpty();
    }
}
