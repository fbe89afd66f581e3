package za.co.personalisation.aws.testing;

/** Offer catalog files for tests. */
public final class Catalogs {

    private Catalogs() {
    }

    /** A catalog of SMS-only book offers anywhere in South Africa, valid through 2026, in the file format. */
    public static String json(String version, String... offerIds) {
        StringBuilder offers = new StringBuilder();
        for (String id : offerIds) {
            offers.append(offers.length() == 0 ? "" : ",").append("{\"offerId\":\"").append(id)
                .append("\",\"interests\":[\"books\"],\"locations\":[\"ZA\"],\"channels\":[\"sms\"],")
                .append("\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\",")
                .append("\"messages\":{\"en-ZA\":{\"sms\":\"Hi\",\"emailSubject\":\"S\",\"emailBody\":\"B\"}}}");
        }
        return "{\"version\":\"" + version + "\",\"offers\":[" + offers + "]}";
    }
}
