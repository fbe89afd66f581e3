package za.co.personalisation.core.event;

import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code POST /events} body: one event or a batch, each item either accepted or rejected with reasons.
 *
 * @param batch true when the body was {@code {"events":[…]}}
 * @param items in request order
 */
public record EventRequest(boolean batch, List<Item> items) {

    public EventRequest {
        items = List.copyOf(items);
    }

    /** One event of the request: exactly one of {@code event} and a non-empty {@code violations} is set. */
    public record Item(int index, InterestEvent event, List<Violation> violations) {

        public Item {
            violations = List.copyOf(violations);
            if ((event == null) == violations.isEmpty()) {
                throw new IllegalArgumentException("an item is either accepted or rejected with reasons");
            }
        }

        public static Item accepted(int index, InterestEvent event) {
            return new Item(index, Objects.requireNonNull(event), List.of());
        }

        public static Item rejected(int index, List<Violation> violations) {
            return new Item(index, null, violations);
        }

        public boolean isAccepted() {
            return event != null;
        }
    }

    public List<InterestEvent> accepted() {
        return items.stream().filter(Item::isAccepted).map(Item::event).toList();
    }
}
