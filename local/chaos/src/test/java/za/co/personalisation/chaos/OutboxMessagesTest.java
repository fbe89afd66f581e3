package za.co.personalisation.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxMessagesTest {

    @Test
    void outboxMessages_readsSmsAndEmail() {
        List<String[]> messages = StackAccounting.outboxMessages("""
            {"sms": [{"phoneNumber": "+27990000001", "message": "Hi"}],
             "email": [{"destinations": {"ToAddresses": ["a@example.com"]}, "subject": "S", "body": "B"}],
             "dropped": {"sms": 0, "email": 0}}""");

        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).containsExactly("sms", "+27990000001", "", "Hi");
        assertThat(messages.get(1)).containsExactly("email", "a@example.com", "S", "B");
    }

    @Test
    void outboxMessages_whenTheEmulatorDroppedSome_refusesToCount() {
        assertThatThrownBy(() -> StackAccounting.outboxMessages("""
            {"sms": [], "email": [], "dropped": {"sms": 3, "email": 0}}"""))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("3 of the messages");
    }
}
