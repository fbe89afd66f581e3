package za.co.personalisation.benchmarks.coldstart;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;

/**
 * The naive builds' Kinesis client: {@code KinesisClient.create()} (SDK defaults), except that on the emulator it
 * speaks JSON, exactly as the functions' own client does there ({@link AwsClients#kinesis()}): moto does not speak
 * the CBOR real Kinesis uses, and a client that does fails every call. On AWS nothing is changed.
 */
public final class NaiveKinesis {

    private NaiveKinesis() {
    }

    public static KinesisClient client(Settings settings) {
        if (settings.has(AwsClients.ENDPOINT_URL)) {
            System.setProperty("aws.cborEnabled", "false");
        }
        return KinesisClient.create();
    }
}
