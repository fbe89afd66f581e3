package za.co.personalisation.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.function.Function;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.notify.QuietHours;
import za.co.personalisation.deliver.DeliverHandler;
import za.co.personalisation.enrich.EnrichHandler;
import za.co.personalisation.feedback.FeedbackHandler;
import za.co.personalisation.ingest.IngestHandler;
import za.co.personalisation.notify.NotifyHandler;

/**
 * The handler classes template.yaml may name, each with the constructor that takes the function's environment.
 * A Handler in the template that is not here stops the local runtime with a message naming it.
 */
final class Handlers {

    private static final Map<String, Function<Settings, RequestHandler<?, ?>>> FACTORIES = Map.of(
        IngestHandler.class.getName(), IngestHandler::new,
        EnrichHandler.class.getName(), EnrichHandler::new,
        NotifyHandler.class.getName(), NotifyHandler::new,
        // the local stack sends at any hour (docs/privacy.md, item 9); a deployed stage cannot: see DeliverHandler
        DeliverHandler.class.getName(), settings -> new DeliverHandler(settings, QuietHours.NONE),
        FeedbackHandler.class.getName(), FeedbackHandler::new);

    private Handlers() {
    }

    @SuppressWarnings("unchecked")
    static RequestHandler<Object, Object> create(String handlerClass, Settings settings) {
        Function<Settings, RequestHandler<?, ?>> factory = FACTORIES.get(handlerClass);
        if (factory == null) {
            throw new IllegalArgumentException("template.yaml names handler " + handlerClass
                + ", which the local runtime does not know; known: " + FACTORIES.keySet());
        }
        return (RequestHandler<Object, Object>) factory.apply(settings);
    }

    static boolean knows(String handlerClass) {
        return FACTORIES.containsKey(handlerClass);
    }
}
