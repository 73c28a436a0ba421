package dev.stride.launcher.spark;

import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test switch that makes one rank (or one trial of a sweep) fail once, to prove that Spark's
 * retry resumes it exactly. Read by the driver from the environment variable {@value #ENV}, e.g.
 * {@code rank=1,iter=7,action=halt} (the rank's JVM halts at once, as if killed, after its 7th
 * train iteration and before that iteration's allreduce) or {@code trial=2,iter=5,action=throw}.
 * It fires on the first attempt only.
 *
 * @param target the rank or trial index that fails
 * @param iter the train iteration (1-based) after which it fails
 * @param halt halt the JVM (true) or throw (false)
 */
record InjectedFault(int target, long iter, boolean halt)
        implements Serializable { // java-serialization: Spark ships it to the executors inside a task
    /** The environment variable the driver reads. */
    static final String ENV = "STRIDE_TEST_FAULT";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(InjectedFault.class);

    /**
     * @param targetKey {@code rank} or {@code trial}
     * @return null when the variable is unset or names another key
     */
    static InjectedFault fromEnvironment(String targetKey) {
        String spec = System.getenv(ENV);
        if (spec == null || spec.isBlank()) {
            return null;
        }
        Map<String, String> kv = new HashMap<>();
        for (String part : spec.split(",")) {
            String[] p = part.split("=", 2);
            if (p.length != 2) {
                throw new BadInputException(ENV + "=" + spec + ": write e.g. rank=1,iter=7,action=halt");
            }
            kv.put(p[0].trim(), p[1].trim());
        }
        if (!kv.containsKey(targetKey)) {
            return null;
        }
        try {
            return new InjectedFault(Integer.parseInt(kv.get(targetKey)), Long.parseLong(kv.getOrDefault("iter", "1")),
                    "halt".equals(kv.getOrDefault("action", "throw")));
        } catch (NumberFormatException e) {
            throw new BadInputException(ENV + "=" + spec + ": " + targetKey + " and iter are numbers, e.g. rank=1,iter=7");
        }
    }

    /** The hook that fails, for {@code target} on its first attempt; null otherwise. */
    Hook hookFor(int who, int attempt) {
        if (who != target || attempt != 0) {
            return null;
        }
        return new Hook() {
            @Override
            public String name() {
                return "injected-fault";
            }

            @Override
            public void afterTrainIter(Runner runner) {
                if (runner.iter() + 1 != iter) {
                    return;
                }
                if (halt) {
                    LOG.warn("{}: halting this JVM after train iteration {} (test switch)", ENV, iter);
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(137);
                }
                throw new IllegalStateException(ENV + ": injected failure after train iteration " + iter);
            }
        };
    }
}
