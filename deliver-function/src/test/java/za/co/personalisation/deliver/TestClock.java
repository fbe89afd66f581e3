package za.co.personalisation.deliver;

import java.time.Instant;

/** The shared test clock ({@link za.co.personalisation.aws.testing.TestClock}) under the name deliver's tests use. */
final class TestClock extends za.co.personalisation.aws.testing.TestClock {

    TestClock(Instant start) {
        super(start);
    }
}
