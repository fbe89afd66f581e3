package za.co.personalisation.replay.meter;

import java.util.Locale;

/** Service names as the SDK reports them ("DynamoDB Streams"), made into stable ids ("dynamodbstreams"). */
final class ServiceNames {

    private ServiceNames() {
    }

    static String normalise(String serviceName) {
        if (serviceName == null) {
            return "unknown";
        }
        return serviceName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
