package za.co.personalisation.local.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * A function's handler running in this JVM, invoked the way Lambda would: with the function's Context, one
 * invocation at a time per handler instance. Each event source gets its own instance (Lambda runs one invocation
 * per execution environment), built by the factory with the function's environment.
 */
public final class LocalFunction {

    private final FunctionDefinition definition;
    private final String arn;
    private final Supplier<RequestHandler<Object, Object>> factory;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    public LocalFunction(FunctionDefinition definition, String arn, Supplier<RequestHandler<Object, Object>> factory) {
        this.definition = definition;
        this.arn = arn;
        this.factory = factory;
    }

    public FunctionDefinition definition() {
        return definition;
    }

    /** A new execution environment: a handler instance of its own. */
    public Instance newInstance() {
        return new Instance(factory.get());
    }

    public long invocations() {
        return invocations.get();
    }

    public long errors() {
        return errors.get();
    }

    /** One execution environment. */
    public final class Instance {

        private final RequestHandler<Object, Object> handler;

        private Instance(RequestHandler<Object, Object> handler) {
            this.handler = handler;
        }

        /** Invokes the handler; a thrown exception is the function error Lambda would see. */
        public synchronized Object invoke(Object event) {
            invocations.incrementAndGet();
            try {
                return handler.handleRequest(event, new LocalContext(definition.name(), arn, definition.memoryMb(),
                    definition.timeout()));
            } catch (RuntimeException | Error e) {
                errors.incrementAndGet();
                throw e;
            }
        }
    }
}
